package org.dplstm.training.model;

import java.util.Arrays;

/**
 * The encoder-decoder's loss of one pair written out in plain Java doubles, straight from its
 * definition (Luong et al. 2015 without input feeding): each encoder direction runs over the
 * source's real tokens only (the reverse one from the last token back), a layer's input being both
 * directions' states at the same position; decoder layer l starts from h = [forward state after
 * the last token; reverse state after the first] of encoder layer l and c = 0; at each target
 * position t < len − 1, attention over the top encoder states (score h_t·W_a h̄_s or h_t·h̄_s),
 * h̃ = tanh(W_c [context; h_t]) and the cross-entropy of W_o h̃ + b against target token t + 1.
 */
final class ReferenceEncoderDecoder {

    private final LstmEncoderDecoder model;
    private final ModelConfig config;

    ReferenceEncoderDecoder(LstmEncoderDecoder model) {
        this.model = model;
        this.config = model.config();
    }

    double loss(int[] source, int[] target) {
        int hidden = config.hiddenSize();
        int features = config.featureSize();
        double[][] layerInput = embed(model.sourceEmbeddingIndex(), source);
        double[][] finals = new double[config.layers()][features];
        for (int layer = 0; layer < config.layers(); layer++) {
            double[][] output = new double[source.length][features];
            for (int d = 0; d < config.directions(); d++) {
                int index = model.encoderLstmIndex(layer, d);
                double[] h = new double[hidden];
                double[] c = new double[hidden];
                for (int step = 0; step < source.length; step++) {
                    int t = d == 0 ? step : source.length - 1 - step;
                    h = cell(index, layerInput[t], h, c);
                    System.arraycopy(h, 0, output[t], d * hidden, hidden);
                }
                System.arraycopy(h, 0, finals[layer], d * hidden, hidden);
            }
            layerInput = output;
        }
        double[][] states = layerInput;
        double[][] decoderInput = embed(model.targetEmbeddingIndex(), target);
        for (int layer = 0; layer < config.layers(); layer++) {
            double[][] output = new double[target.length][];
            double[] h = finals[layer].clone();
            double[] c = new double[features];
            for (int t = 0; t < target.length; t++) {
                h = cell(model.decoderLstmIndex(layer), decoderInput[t], h, c);
                output[t] = h;
            }
            decoderInput = output;
        }
        double[] combine = values(model.combineIndex());
        double[] weight = model.outputWeight(model.parameters()).toDoubleArray();
        double[] outBias = values(model.outputBiasIndex());
        double loss = 0;
        for (int t = 0; t + 1 < target.length; t++) {
            double[] query = decoderInput[t];
            double[] scores = new double[states.length];
            for (int s = 0; s < states.length; s++) {
                double[] key = config.attention() == AttentionScore.GENERAL
                        ? times(values(model.attentionIndex()), states[s], features) : states[s];
                scores[s] = dot(query, key);
            }
            double[] alpha = softmax(scores);
            double[] combined = new double[2 * features];
            for (int s = 0; s < states.length; s++) {
                for (int j = 0; j < features; j++) {
                    combined[j] += alpha[s] * states[s][j];
                }
            }
            System.arraycopy(query, 0, combined, features, features);
            double[] attentional = times(combine, combined, features);
            for (int j = 0; j < features; j++) {
                attentional[j] = Math.tanh(attentional[j]);
            }
            double[] logits = times(weight, attentional, config.targetVocabSize());
            for (int v = 0; v < logits.length; v++) {
                logits[v] += outBias[v];
            }
            loss -= Math.log(softmax(logits)[target[t + 1]]);
        }
        return loss;
    }

    private double[][] embed(int tableIndex, int[] tokens) {
        double[] table = values(tableIndex);
        double[][] rows = new double[tokens.length][];
        for (int t = 0; t < tokens.length; t++) {
            rows[t] = Arrays.copyOfRange(table, tokens[t] * config.embeddingDim(), (tokens[t] + 1) * config.embeddingDim());
        }
        return rows;
    }

    /** One LSTM step with the weights at {@code index}: updates {@code c} in place, returns the new h. */
    private double[] cell(int index, double[] x, double[] h, double[] c) {
        double[] wIh = values(index);
        double[] wHh = values(index + 1);
        double[] bias = values(index + 2);
        int hidden = h.length;
        double[] gates = new double[4 * hidden];
        for (int g = 0; g < gates.length; g++) {
            gates[g] = bias[g];
            for (int j = 0; j < x.length; j++) {
                gates[g] += wIh[g * x.length + j] * x[j];
            }
            for (int j = 0; j < hidden; j++) {
                gates[g] += wHh[g * hidden + j] * h[j];
            }
        }
        double[] next = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            c[j] = sigmoid(gates[hidden + j]) * c[j] + sigmoid(gates[j]) * Math.tanh(gates[2 * hidden + j]);
            next[j] = sigmoid(gates[3 * hidden + j]) * Math.tanh(c[j]);
        }
        return next;
    }

    private double[] values(int index) {
        return model.parameters().get(index).toDoubleArray();
    }

    /** A row-major (rows × x.length) matrix times x. */
    private static double[] times(double[] matrix, double[] x, int rows) {
        double[] result = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < x.length; j++) {
                result[r] += matrix[r * x.length + j] * x[j];
            }
        }
        return result;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }

    private static double[] softmax(double[] scores) {
        double max = Arrays.stream(scores).max().orElseThrow();
        double[] result = new double[scores.length];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            result[i] = Math.exp(scores[i] - max);
            total += result[i];
        }
        for (int i = 0; i < scores.length; i++) {
            result[i] /= total;
        }
        return result;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
