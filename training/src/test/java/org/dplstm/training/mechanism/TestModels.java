package org.dplstm.training.mechanism;

import ai.djl.engine.Engine;
import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.dplstm.training.mechanism.layers.TiedLinear;

/** Small DJL models of each supported kind, written as a DJL user writes them, and random data for them. */
public final class TestModels {

    public static final int VOCAB = 30;

    private TestModels() {}

    public static TrainableWordEmbedding embedding(int dimension) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < VOCAB; i++) {
            tokens.add("t" + i);
        }
        return TrainableWordEmbedding.builder()
                .setVocabulary(new DefaultVocabulary(tokens))
                .setEmbeddingSize(dimension)
                .build();
    }

    /**
     * Embedding → GRU (or LSTM) → the last position (the mean over positions when bidirectional,
     * so the reverse direction's recurrence matters too) → Linear over classes.
     */
    public static SequentialBlock recurrentClassifier(boolean gru, int embedding, int hidden, int layers,
            boolean bidirectional, boolean biases, int classes) {
        Block recurrent = gru
                ? GRU.builder().setStateSize(hidden).setNumLayers(layers).optBidirectional(bidirectional)
                        .optHasBiases(biases).build()
                : LSTM.builder().setStateSize(hidden).setNumLayers(layers).optBidirectional(bidirectional)
                        .optHasBiases(biases).build();
        return new SequentialBlock()
                .add(embedding(embedding))
                .add(recurrent)
                .add(x -> new NDList(bidirectional ? x.head().mean(new int[] {1}) : x.head().get(":, -1, :")))
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * The same blocks (the same parameters) with explicit zero initial states of the input's type
     * before the recurrent block at {@code index}: DJL's LSTM and GRU make float32 states
     * themselves, so their own forward runs in float64 only so (the loop reference in float64).
     */
    public static SequentialBlock withZeroStates(SequentialBlock model, int index, int states, int stateRows,
            int hidden) {
        SequentialBlock reference = new SequentialBlock();
        List<Block> children = model.getChildren().values();
        for (int i = 0; i < children.size(); i++) {
            if (i == index) {
                reference.add(x -> {
                    NDArray input = x.head();
                    NDList withStates = new NDList(input);
                    for (int s = 0; s < states; s++) {
                        withStates.add(input.getManager().zeros(new Shape(stateRows, input.getShape().get(0), hidden),
                                input.getDataType()));
                    }
                    return withStates;
                });
            }
            reference.add(children.get(i));
        }
        return reference;
    }

    /** Embedding → Conv1d over positions → ReLU → max over positions → Linear: a text CNN. */
    public static SequentialBlock textCnn(int embedding, int filters, int kernel, int classes) {
        return new SequentialBlock()
                .add(embedding(embedding))
                .add(x -> new NDList(x.head().transpose(0, 2, 1)))
                .add(Conv1d.builder().setFilters(filters).setKernelShape(new Shape(kernel)).optPadding(new Shape(1)).build())
                .add(Activation.reluBlock())
                .add(x -> new NDList(x.head().max(new int[] {2})))
                .add(Linear.builder().setUnits(classes).build());
    }

    /** Linear → LayerNorm → ReLU → Linear. */
    public static SequentialBlock mlp(int hidden, int outputs) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(LayerNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(outputs).build());
    }

    /** Embedding → Linear (E → E) → tanh → the embedding's table as output weight, at every position. */
    public static SequentialBlock tiedLanguageModel(int embedding) {
        TrainableWordEmbedding table = embedding(embedding);
        return new SequentialBlock()
                .add(table)
                .add(Linear.builder().setUnits(embedding).build())
                .add(Activation.tanhBlock())
                .add(TiedLinear.builder().setWeight(table.getParameters().get("embedding")).build());
    }

    /** The same Linear block applied twice, a ReLU between: one weight, two uses. */
    public static SequentialBlock sharedLinear(int width, int outputs) {
        Linear shared = Linear.builder().setUnits(width).build();
        return new SequentialBlock()
                .add(shared)
                .add(Activation.reluBlock())
                .add(shared)
                .add(Linear.builder().setUnits(outputs).build());
    }

    /** Initialises with the engine seeded, biases and norms random too (so every parameter is tested). */
    public static void initialize(Block model, NDManager manager, DataType type, Shape input, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        for (Parameter.Type kind : new Parameter.Type[] {Parameter.Type.BIAS, Parameter.Type.GAMMA,
                Parameter.Type.BETA}) {
            model.setInitializer(new NormalInitializer(0.3f), kind);
        }
        model.initialize(manager, type, input);
    }

    /** Token ids (B, T) in [0, VOCAB), with repeats (so equal tokens meet in the embedding's norm). */
    public static NDArray tokens(NDManager manager, int batch, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] ids = new long[batch * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(VOCAB / 3);
        }
        return manager.create(ids, new Shape(batch, length));
    }

    /** Class ids in [0, classes), shape {@code shape}. */
    public static NDArray classes(NDManager manager, Shape shape, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] ids = new long[(int) shape.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(classes);
        }
        return manager.create(ids, shape);
    }

    /** Standard normal values of {@code type}. */
    public static NDArray normal(NDManager manager, Shape shape, DataType type, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return manager.create(values, shape).toType(type, false);
    }
}
