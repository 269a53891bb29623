package org.dplstm.training.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.recurrent.CellWeights;

/**
 * Names, shapes, order and initial values of a recurrent text model's parameters, shared by the
 * classifier and the language model: embedding (V, E); per layer and direction W_ih (G·H, in),
 * W_hh (G·H, H) and, for an LSTM (G = 4, gates i, f, g, o), one bias (4H) — its two biases are
 * only ever added — or, for a GRU (G = 3, gates r, z, n), b_ih and b_hh (3H), which are not
 * (ARCHITECTURE §3.8); LayerNorm gamma, beta (F) when enabled; output weight (K, F) (absent when
 * tied to the embedding) and bias (K), K = {@link ModelConfig#outputSize()}.
 */
final class ParameterLayout {

    private ParameterLayout() {}

    /** Half-width of a classifier's or language model's embeddings' initial uniform range. */
    static final double EMBEDDING_INIT = 0.1;

    static List<String> names(ModelConfig config) {
        List<String> names = new ArrayList<>();
        if (config.kind() == ModelKind.NGRAM) {
            // one linear layer over the n-gram bag (NgramLinearClassifier), its bias if it has one
            return new ArrayList<>(config.ngramBias() ? List.of("output.weight", "output.bias") : List.of("output.weight"));
        }
        names.add("embedding");
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int direction = 0; direction < config.directions(); direction++) {
                String prefix = lstmPrefix(config.cell().id(), layer, direction);
                names.add(prefix + "w_ih");
                names.add(prefix + "w_hh");
                if (config.cell() == CellKind.GRU) {
                    names.add(prefix + "b_ih");
                    names.add(prefix + "b_hh");
                } else {
                    names.add(prefix + "bias");
                }
            }
        }
        if (config.layerNorm()) {
            names.add("layer_norm.gamma");
            names.add("layer_norm.beta");
        }
        if (!config.tiedEmbedding()) {
            names.add("output.weight");
        }
        names.add("output.bias");
        return names;
    }

    /** The name prefix of one recurrent layer's direction in a stack, e.g. {@code lstm.l0.fwd.} or {@code gru.l0.fwd.}. */
    static String lstmPrefix(String stack, int layer, int direction) {
        return stack + ".l" + layer + (direction == 0 ? ".fwd." : ".bwd.");
    }

    /** One LSTM layer's (and direction's) parameters in their order: W_ih, W_hh, bias. */
    static void addLstmNames(List<String> names, String prefix) {
        names.add(prefix + "w_ih");
        names.add(prefix + "w_hh");
        names.add(prefix + "bias");
    }

    /** Parameters per layer and direction: W_ih, W_hh and the LSTM's bias or the GRU's two. */
    private static int perDirection(ModelConfig config) {
        return config.cell() == CellKind.GRU ? 4 : 3;
    }

    static Shape shape(ModelConfig config, String name) {
        long gates = (long) config.cell().gates() * config.hiddenSize();
        String recurrent = config.cell().id() + ".l";
        if (name.equals("embedding")) {
            return new Shape(config.vocabSize(), config.embeddingDim());
        } else if (name.startsWith(recurrent)) {
            int start = recurrent.length();
            int layer = Integer.parseInt(name.substring(start, name.indexOf('.', start)));
            if (name.endsWith("w_ih")) {
                return new Shape(gates, config.inputSize(layer));
            } else if (name.endsWith("w_hh")) {
                return new Shape(gates, config.hiddenSize());
            }
            return new Shape(gates);
        } else if (name.startsWith("layer_norm.")) {
            return new Shape(config.featureSize());
        } else if (name.equals("output.weight")) {
            return new Shape(config.outputSize(), config.featureSize());
        }
        return new Shape(config.outputSize());
    }

    /** Index of W_ih of a layer and direction; W_hh and the bias (or b_ih, b_hh) follow it. */
    static int recurrentIndex(ModelConfig config, int layer, int direction) {
        return 1 + perDirection(config) * (layer * config.directions() + direction);
    }

    /** A layer's and direction's arrays among {@code params} (the model's own, or autograd leaves). */
    static CellWeights cellWeights(ModelConfig config, NDList params, int layer, int direction) {
        int index = recurrentIndex(config, layer, direction);
        return new CellWeights(params.get(index), params.get(index + 1), params.get(index + 2),
                config.cell() == CellKind.GRU ? params.get(index + 3) : null);
    }

    /** Index of the LayerNorm gamma (beta follows), or -1 without LayerNorm. */
    static int layerNormIndex(ModelConfig config) {
        return config.layerNorm() ? 1 + perDirection(config) * config.layers() * config.directions() : -1;
    }

    /** Index of the output weight, or -1 when it is tied to the embedding. */
    static int outputWeightIndex(ModelConfig config) {
        return config.tiedEmbedding() ? -1 : outputBiasIndex(config) - 1;
    }

    static int outputBiasIndex(ModelConfig config) {
        return names(config).size() - 1;
    }

    /**
     * Seeded initial weights: recurrent and output weights uniform in ±1/√fan as in torch, an
     * LSTM's forget-gate bias 1 (Jozefowicz et al. 2015), embeddings uniform in ±0.1.
     */
    static NDList initial(ModelConfig config, NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        NDList params = new NDList();
        for (String name : names(config)) {
            Shape shape = shape(config, name);
            double[] values = new double[Math.toIntExact(shape.size())];
            if (name.equals("embedding")) {
                fillUniform(values, EMBEDDING_INIT, random);
            } else if (name.endsWith(".bias") && name.startsWith("lstm.")) {
                fillUniform(values, 1 / Math.sqrt(config.hiddenSize()), random);
                int hidden = config.hiddenSize();
                for (int j = hidden; j < 2 * hidden; j++) {
                    values[j] = 1.0;
                }
            } else if (name.startsWith("lstm.") || name.startsWith("gru.")) {
                fillUniform(values, 1 / Math.sqrt(config.hiddenSize()), random);
            } else if (name.equals("layer_norm.gamma")) {
                Arrays.fill(values, 1.0);
            } else if (name.equals("layer_norm.beta")) {
                Arrays.fill(values, 0.0);
            } else {
                fillUniform(values, 1 / Math.sqrt(config.featureSize()), random);
            }
            params.add(manager.create(values, shape).toType(config.dataType(), false));
        }
        return params;
    }

    static void fillUniform(double[] values, double bound, SplittableRandom random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (2 * random.nextDouble() - 1) * bound;
        }
    }

    /** Checks count and shapes and names the arrays. */
    static void check(ModelConfig config, NDList parameters, List<String> names) {
        check(config, parameters, names, ParameterLayout::shape);
    }

    /** As {@link #check(ModelConfig, NDList, List)} for another layout's shapes. */
    static void check(ModelConfig config, NDList parameters, List<String> names,
            BiFunction<ModelConfig, String, Shape> shapeOf) {
        if (parameters.size() != names.size()) {
            throw new IllegalArgumentException(
                    "parameter count must be " + names.size() + " for " + config + ", was " + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            Shape expected = shapeOf.apply(config, names.get(i));
            if (!parameters.get(i).getShape().equals(expected)) {
                throw new IllegalArgumentException("parameter " + names.get(i) + " must have shape " + expected
                        + ", was " + parameters.get(i).getShape());
            }
            parameters.get(i).setName(names.get(i));
        }
    }
}
