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
import org.dplstm.training.mechanism.clip.BlockGradients;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.FusedClipper;
import org.dplstm.training.mechanism.clip.LoopClipper;
import org.dplstm.training.mechanism.clip.TrainableParameters;
import org.dplstm.training.mechanism.loss.PerExampleLoss;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.pergrad.GateGradientMethod;

/**
 * A DJL block model as a library user writes it ({@code --cell gru}): TrainableWordEmbedding → GRU
 * → Linear over the classes at the last position (or over the vocabulary at every position for a
 * language model), clipped by the mechanism's fused and loop clippers.
 */
final class BlockSubject implements BenchSubject {

    private final NDManager manager;
    private final SequentialBlock model;
    private final ExampleBatch batch;
    private final PerExampleLoss loss = PerExampleLoss.softmaxCrossEntropy();
    private final TrainableParameters parameters;
    private final FusedClipper fused;
    private final FusedClipper other;
    private final LoopClipper loop;
    private final GateGradientMethod method;
    private final GateGradientMethod otherMethod;

    BlockSubject(BenchShape shape, NDManager parent, ExampleBatch batch) {
        this.manager = parent.newSubManager();
        this.batch = batch;
        this.model = gruModel(shape);
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        model.initialize(manager, shape.dataType(), new Shape(shape.batch(), shape.length()));
        this.parameters = TrainableParameters.of(model);
        this.method = GateGradientMethod.forDevice(manager.getDevice());
        this.otherMethod = method == GateGradientMethod.UNROLLED
                ? GateGradientMethod.ENGINE_IDENTITY
                : GateGradientMethod.UNROLLED;
        this.fused = FusedClipper.builder().setModel(model).setLoss(loss).optGateGradientMethod(method).build();
        this.other = FusedClipper.builder().setModel(model).setLoss(loss).optGateGradientMethod(otherMethod).build();
        this.loop = new LoopClipper(model, loss);
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

    @Override
    public NDList parameters() {
        return parameters.arrays();
    }

    @Override
    public List<String> parameterNames() {
        return parameters.names();
    }

    @Override
    public NDList plainGradient(NDManager step) {
        return BlockGradients.of(step, model, parameters, loss, batch.inputs(), batch.labels());
    }

    @Override
    public NDList fusedClippedSum(NDManager step, double clip) {
        return fused.clippedSum(step, batch, clip).sums();
    }

    @Override
    public NDList otherClippedSum(NDManager step, double clip) {
        return other.clippedSum(step, batch, clip).sums();
    }

    @Override
    public NDList loopClippedSum(NDManager step, double clip) {
        return loop.clippedSum(step, batch, clip).sums();
    }

    @Override
    public String method() {
        return method.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String otherMethod() {
        return otherMethod.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        manager.close();
    }
}
