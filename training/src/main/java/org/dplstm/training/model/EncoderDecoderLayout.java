package org.dplstm.training.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Names, shapes, order and initial values of an {@link LstmEncoderDecoder}'s parameters. F is
 * the encoder's feature size (H × directions), also the decoder's hidden size:
 *
 * <ol>
 *   <li>source embedding (V_s, E); per encoder layer and direction W_ih (4H, in), W_hh (4H, H),
 *       bias (4H), exactly where {@link ParameterLayout} puts a classifier's, so the encoder is
 *       the shared {@link LstmStack};
 *   <li>target embedding (V_t, E); per decoder layer W_ih (4F, E or F), W_hh (4F, F), bias (4F);
 *   <li>attention W_a (F, F) (general score only) and the attentional layer W_c (F, 2F);
 *   <li>output weight (V_t, F) (absent when tied to the target embedding) and bias (V_t).
 * </ol>
 */
final class EncoderDecoderLayout {

    private EncoderDecoderLayout() {}

    static List<String> names(ModelConfig config) {
        List<String> names = new ArrayList<>();
        names.add("encoder.embedding");
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int direction = 0; direction < config.directions(); direction++) {
                ParameterLayout.addLstmNames(names, ParameterLayout.lstmPrefix("encoder", layer, direction));
            }
        }
        names.add("decoder.embedding");
        for (int layer = 0; layer < config.layers(); layer++) {
            ParameterLayout.addLstmNames(names, "decoder.l" + layer + ".");
        }
        if (config.attention() == AttentionScore.GENERAL) {
            names.add("attention.w_a");
        }
        names.add("attention.w_c");
        if (!config.tiedEmbedding()) {
            names.add("output.weight");
        }
        names.add("output.bias");
        return names;
    }

    static Shape shape(ModelConfig config, String name) {
        long features = config.featureSize();
        long embedding = config.embeddingDim();
        return switch (name) {
            case "encoder.embedding" -> new Shape(config.vocabSize(), embedding);
            case "decoder.embedding" -> new Shape(config.targetVocabSize(), embedding);
            case "attention.w_a" -> new Shape(features, features);
            case "attention.w_c" -> new Shape(features, 2 * features);
            case "output.weight" -> new Shape(config.targetVocabSize(), features);
            case "output.bias" -> new Shape(config.targetVocabSize());
            default -> lstmShape(config, name);
        };
    }

    private static Shape lstmShape(ModelConfig config, String name) {
        boolean encoder = name.startsWith("encoder.");
        int layer = Integer.parseInt(name.substring(name.indexOf(".l") + 2, name.indexOf('.', name.indexOf(".l") + 2)));
        long hidden = encoder ? config.hiddenSize() : config.featureSize();
        long input = encoder ? config.inputSize(layer) : layer == 0 ? config.embeddingDim() : config.featureSize();
        if (name.endsWith("w_ih")) {
            return new Shape(4 * hidden, input);
        } else if (name.endsWith("w_hh")) {
            return new Shape(4 * hidden, hidden);
        }
        return new Shape(4 * hidden);
    }

    /** Index of an encoder layer's and direction's W_ih (W_hh and the bias follow). */
    static int encoderLstmIndex(ModelConfig config, int layer, int direction) {
        return ParameterLayout.recurrentIndex(config, layer, direction);
    }

    static int targetEmbeddingIndex(ModelConfig config) {
        return 1 + 3 * config.layers() * config.directions();
    }

    /** Index of a decoder layer's W_ih (W_hh and the bias follow). */
    static int decoderLstmIndex(ModelConfig config, int layer) {
        return targetEmbeddingIndex(config) + 1 + 3 * layer;
    }

    /** Index of W_a, or -1 for the dot score. */
    static int attentionIndex(ModelConfig config) {
        return config.attention() == AttentionScore.GENERAL ? decoderLstmIndex(config, config.layers()) : -1;
    }

    static int combineIndex(ModelConfig config) {
        return decoderLstmIndex(config, config.layers()) + (config.attention() == AttentionScore.GENERAL ? 1 : 0);
    }

    /** Index of the output weight, or -1 when it is the target embedding. */
    static int outputWeightIndex(ModelConfig config) {
        return config.tiedEmbedding() ? -1 : combineIndex(config) + 1;
    }

    static int outputBiasIndex(ModelConfig config) {
        return combineIndex(config) + (config.tiedEmbedding() ? 1 : 2);
    }

    /**
     * Seeded initial weights: the source embedding uniform in ±{@code sourceEmbeddingInit}, the
     * target embedding in ±{@value LstmEncoderDecoder#TARGET_EMBEDDING_INIT} (tied to the output
     * layer: ±0.1, as a classifier's), LSTM weights in ±1/√H of their layer with forget-gate bias
     * 1, the other weights in ±1/√fan-in.
     */
    static NDList initial(ModelConfig config, NDManager manager, long seed, double sourceEmbeddingInit) {
        SplittableRandom random = new SplittableRandom(seed);
        NDList params = new NDList();
        for (String name : names(config)) {
            Shape shape = shape(config, name);
            double[] values = new double[Math.toIntExact(shape.size())];
            if (name.equals("encoder.embedding")) {
                ParameterLayout.fillUniform(values, sourceEmbeddingInit, random);
            } else if (name.equals("decoder.embedding")) {
                ParameterLayout.fillUniform(values,
                        config.tiedEmbedding() ? ParameterLayout.EMBEDDING_INIT
                                : LstmEncoderDecoder.TARGET_EMBEDDING_INIT, random);
            } else if (name.startsWith("encoder.") || name.startsWith("decoder.")) {
                long hidden = name.startsWith("encoder.") ? config.hiddenSize() : config.featureSize();
                ParameterLayout.fillUniform(values, 1 / Math.sqrt(hidden), random);
                if (name.endsWith(".bias")) {
                    for (long j = hidden; j < 2 * hidden; j++) {
                        values[(int) j] = 1.0;
                    }
                }
            } else {
                long fanIn = shape.dimension() == 2 ? shape.get(1) : config.featureSize();
                ParameterLayout.fillUniform(values, 1 / Math.sqrt(fanIn), random);
            }
            params.add(manager.create(values, shape).toType(config.dataType(), false));
        }
        return params;
    }

    /** Checks count and shapes and names the arrays. */
    static void check(ModelConfig config, NDList parameters, List<String> names) {
        ParameterLayout.check(config, parameters, names, EncoderDecoderLayout::shape);
    }
}
