package org.dplstm.cli.bench;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.dplstm.training.mechanism.clip.BlockGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.FusedClipper;
import org.dplstm.training.mechanism.clip.LoopClipper;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.mechanism.clip.TrainableParameters;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.pergrad.EncoderDecoderGradients;
import org.dplstm.training.pergrad.FusedPerExampleGradients;
import org.dplstm.training.pergrad.PerExampleLoopGradients;
import org.dplstm.training.pergrad.TextBatches;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.recurrent.GateGradientMethod;

/**
 * One model as the benchmark times it: its trainable parameters (updated in place), the batch, the
 * non-private step's plain gradient (the engine's fused cell, autograd), and the mechanism's
 * clippers it compares: fused with the device's gate method, fused with the other one (null when
 * the model has one method only), and the per-example loop. Results live in the step's scope.
 */
record BenchSubject(
        ParameterSet parameters,
        ExampleBatch batch,
        Function<NDManager, NDList> plainGradient,
        Clipper fused,
        Clipper other,
        Clipper loop,
        GateGradientMethod method,
        AutoCloseable resources) implements AutoCloseable {

    /** The project's own LSTM or GRU classifier or language model (what {@code train} trains). */
    static BenchSubject textModel(LstmStackModel model, Batch batch) {
        GateGradientMethod method = GateGradientMethod.forDevice(model.manager().getDevice());
        return new BenchSubject(ParameterSet.of(model.parameterNames(), model.parameters()),
                TextBatches.toExampleBatch(batch), step -> model.gradientSum(step, batch),
                FusedPerExampleGradients.of(model, method), FusedPerExampleGradients.of(model, otherThan(method)),
                new PerExampleLoopGradients(model), method, model);
    }

    /** The project's attentional encoder-decoder: one fused method ({@code UNROLLED}), no other. */
    static BenchSubject encoderDecoder(LstmEncoderDecoder model, Batch batch) {
        return new BenchSubject(ParameterSet.of(model.parameterNames(), model.parameters()),
                TextBatches.toExampleBatch(batch), step -> model.gradientSum(step, batch),
                new EncoderDecoderGradients(model), null, new PerExampleLoopGradients(model),
                GateGradientMethod.UNROLLED, model);
    }

    /**
     * A DJL block model as a library user writes it ({@code --block}): TrainableWordEmbedding →
     * LSTM or GRU → Linear over the classes at the last position (or over the vocabulary at every
     * position for a language model), clipped by the mechanism's fused and loop clippers.
     */
    static BenchSubject block(BenchShape shape, NDManager parent, ExampleBatch batch) {
        NDManager manager = parent.newSubManager();
        SequentialBlock model = blockModel(shape);
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        model.initialize(manager, shape.dataType(), new Shape(shape.batch(), shape.length()));
        PerExampleLoss loss = PerExampleLoss.softmaxCrossEntropy();
        TrainableParameters parameters = TrainableParameters.of(model);
        GateGradientMethod method = GateGradientMethod.forDevice(manager.getDevice());
        FusedClipper fused = FusedClipper.builder().setModel(model).setLoss(loss).optGateGradientMethod(method).build();
        FusedClipper other = FusedClipper.builder().setModel(model).setLoss(loss)
                .optGateGradientMethod(otherThan(method)).build();
        return new BenchSubject(parameters, batch,
                step -> BlockGradients.of(step, model, parameters, loss, batch.inputs(), batch.labels()),
                fused, other, new LoopClipper(model, loss), method, manager::close);
    }

    private static SequentialBlock blockModel(BenchShape shape) {
        List<String> words = new ArrayList<>(shape.vocab());
        for (int i = 0; i < shape.vocab(); i++) {
            words.add("w" + i);
        }
        Block recurrent = shape.cell() == CellKind.GRU
                ? GRU.builder().setStateSize(shape.hidden()).setNumLayers(1).build()
                : LSTM.builder().setStateSize(shape.hidden()).setNumLayers(1).build();
        SequentialBlock model = new SequentialBlock()
                .add(TrainableWordEmbedding.builder().setVocabulary(new DefaultVocabulary(words))
                        .setEmbeddingSize(shape.embedding()).build())
                .add(recurrent);
        if (shape.task() == ModelTask.LANGUAGE_MODEL) {
            return model.add(Linear.builder().setUnits(shape.vocab()).build());
        }
        return model.add(x -> new NDList(x.head().get(":, -1, :")))
                .add(Linear.builder().setUnits(shape.classes()).build());
    }

    private static GateGradientMethod otherThan(GateGradientMethod method) {
        return method == GateGradientMethod.UNROLLED ? GateGradientMethod.ENGINE_IDENTITY : GateGradientMethod.UNROLLED;
    }

    String methodName() {
        return method.name().toLowerCase(Locale.ROOT);
    }

    String otherMethodName() {
        return other == null ? "none" : otherThan(method).name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot free the benchmark's model", e);
        }
    }
}
