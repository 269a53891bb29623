package org.dplstm.training.bench;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import org.dplstm.training.mechanism.clip.BlockGradients;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.FusedClipper;
import org.dplstm.training.mechanism.clip.LoopClipper;
import org.dplstm.training.mechanism.clip.TrainableParameters;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.pergrad.FusedPerExampleGradients;
import org.dplstm.training.pergrad.PerExampleLoopGradients;
import org.dplstm.training.recurrent.GateGradientMethod;

/**
 * One model as the benchmark times it: its trainable arrays (updated in place) and the four ways
 * of computing a step's gradient sums it compares: the non-private step's plain gradient (the
 * engine's fused cell, autograd), the fused clipped sum with the device's gate method and with the
 * other one, and the per-example loop. Results live in the step's scope.
 */
record BenchSubject(
        Supplier<NDList> parameters,
        List<String> parameterNames,
        Function<NDManager, NDList> plainGradient,
        ClippedSum fused,
        ClippedSum other,
        ClippedSum loop,
        GateGradientMethod method,
        AutoCloseable resources) implements AutoCloseable {

    /** A clipped sum at norm bound {@code clip}, in the step's scope. */
    @FunctionalInterface
    interface ClippedSum {
        NDList of(NDManager step, double clip);
    }

    /** The project's own LSTM classifier or language model ({@code --cell lstm}). */
    static BenchSubject lstm(LstmStackModel model, Batch batch) {
        GateGradientMethod method = GateGradientMethod.forDevice(model.manager().getDevice());
        FusedPerExampleGradients fused = FusedPerExampleGradients.of(model, method);
        FusedPerExampleGradients other = FusedPerExampleGradients.of(model, otherThan(method));
        PerExampleLoopGradients loop = new PerExampleLoopGradients(model);
        return new BenchSubject(model::parameters, model.parameterNames(), step -> model.gradientSum(step, batch),
                (step, clip) -> fused.clippedGradientSum(step, batch, clip).sums(),
                (step, clip) -> other.clippedGradientSum(step, batch, clip).sums(),
                (step, clip) -> loop.clippedGradientSum(step, batch, clip).sums(), method, model);
    }

    /**
     * A DJL block model as a library user writes it ({@code --cell gru}): TrainableWordEmbedding →
     * GRU → Linear over the classes at the last position (or over the vocabulary at every position
     * for a language model), clipped by the mechanism's fused and loop clippers.
     */
    static BenchSubject gru(BenchShape shape, NDManager parent, ExampleBatch batch) {
        NDManager manager = parent.newSubManager();
        SequentialBlock model = gruModel(shape);
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        model.initialize(manager, shape.dataType(), new Shape(shape.batch(), shape.length()));
        PerExampleLoss loss = PerExampleLoss.softmaxCrossEntropy();
        TrainableParameters parameters = TrainableParameters.of(model);
        GateGradientMethod method = GateGradientMethod.forDevice(manager.getDevice());
        FusedClipper fused = FusedClipper.builder().setModel(model).setLoss(loss).optGateGradientMethod(method).build();
        FusedClipper other = FusedClipper.builder().setModel(model).setLoss(loss)
                .optGateGradientMethod(otherThan(method)).build();
        LoopClipper loop = new LoopClipper(model, loss);
        return new BenchSubject(parameters::arrays, parameters.names(),
                step -> BlockGradients.of(step, model, parameters, loss, batch.inputs(), batch.labels()),
                (step, clip) -> fused.clippedSum(step, batch, clip).sums(),
                (step, clip) -> other.clippedSum(step, batch, clip).sums(),
                (step, clip) -> loop.clippedSum(step, batch, clip).sums(), method, manager::close);
    }

    private static SequentialBlock gruModel(BenchShape shape) {
        List<String> words = new ArrayList<>(shape.vocab());
        for (int i = 0; i < shape.vocab(); i++) {
            words.add("w" + i);
        }
        SequentialBlock model = new SequentialBlock()
                .add(TrainableWordEmbedding.builder().setVocabulary(new DefaultVocabulary(words))
                        .setEmbeddingSize(shape.embedding()).build())
                .add(GRU.builder().setStateSize(shape.hidden()).setNumLayers(1).build());
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
        return otherThan(method).name().toLowerCase(Locale.ROOT);
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
