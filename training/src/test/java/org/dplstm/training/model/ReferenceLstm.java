package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;

/**
 * The classifier written out in plain Java doubles, one example at a time, straight from its
 * definition (an LSTM cell, or a GRU cell as torch defines it: r = σ(a_r + q_r),
 * z = σ(a_z + q_z), n = tanh(a_n + r·q_n), h = (1 − z)n + z·h with a = W_ih x + b_ih and
 * q = W_hh h + b_hh): each direction runs over the example's real tokens only (the reverse direction
 * from its last real token back to the first), layer inputs are the two directions' states at
 * the same position, features are the forward state at the last real token and the reverse
 * state after the first token (or, with mean pooling, each direction's states averaged over the
 * real tokens); then LayerNorm and the output layer.
 */
final class ReferenceLstm {

    private ReferenceLstm() {}

    static double[][] logits(LstmClassifier model, long[] tokens, long[] lengths, int steps) {
        ModelConfig config = model.config();
        int hidden = config.hiddenSize();
        double[][] result = new double[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            int length = (int) lengths[b];
            double[][] layerInput = new double[length][];
            double[] table = values(model, model.embeddingIndex());
            for (int t = 0; t < length; t++) {
                int token = (int) tokens[b * steps + t];
                layerInput[t] = java.util.Arrays.copyOfRange(table, token * config.embeddingDim(),
                        (token + 1) * config.embeddingDim());
            }
            double[] features = null;
            for (int layer = 0; layer < config.layers(); layer++) {
                double[][] output = new double[length][config.featureSize()];
                features = new double[config.featureSize()];
                for (int d = 0; d < config.directions(); d++) {
                    int index = model.recurrentIndex(layer, d);
                    double[] wIh = values(model, index);
                    double[] wHh = values(model, index + 1);
                    double[] bias = values(model, index + 2);
                    boolean gru = config.cell() == org.dplstm.training.recurrent.CellKind.GRU;
                    double[] recurrentBias = gru ? values(model, index + 3) : null;
                    double[] h = new double[hidden];
                    double[] c = new double[hidden];
                    for (int s = 0; s < length; s++) {
                        int t = d == 0 ? s : length - 1 - s;
                        double[] x = layerInput[t];
                        if (gru) {
                            h = gruStep(x, h, wIh, wHh, bias, recurrentBias);
                            System.arraycopy(h, 0, output[t], d * hidden, hidden);
                            continue;
                        }
                        double[] gates = new double[4 * hidden];
                        for (int g = 0; g < 4 * hidden; g++) {
                            double sum = bias[g];
                            for (int j = 0; j < x.length; j++) {
                                sum += wIh[g * x.length + j] * x[j];
                            }
                            for (int j = 0; j < hidden; j++) {
                                sum += wHh[g * hidden + j] * h[j];
                            }
                            gates[g] = sum;
                        }
                        for (int j = 0; j < hidden; j++) {
                            double in = sigmoid(gates[j]);
                            double forget = sigmoid(gates[hidden + j]);
                            double cellInput = Math.tanh(gates[2 * hidden + j]);
                            double out = sigmoid(gates[3 * hidden + j]);
                            c[j] = forget * c[j] + in * cellInput;
                            h[j] = out * Math.tanh(c[j]);
                        }
                        System.arraycopy(h, 0, output[t], d * hidden, hidden);
                    }
                    if (config.pooling() == Pooling.LAST) {
                        System.arraycopy(h, 0, features, d * hidden, hidden);
                    } else {
                        for (int t = 0; t < length; t++) {
                            for (int j = 0; j < hidden; j++) {
                                features[d * hidden + j] += output[t][d * hidden + j] / length;
                            }
                        }
                    }
                }
                layerInput = output;
            }
            if (config.layerNorm()) {
                double mean = 0;
                for (double v : features) {
                    mean += v / features.length;
                }
                double variance = 0;
                for (double v : features) {
                    variance += (v - mean) * (v - mean) / features.length;
                }
                double[] gamma = values(model, model.layerNormIndex());
                double[] beta = values(model, model.layerNormIndex() + 1);
                for (int j = 0; j < features.length; j++) {
                    features[j] = (features[j] - mean) / Math.sqrt(variance + 1e-5) * gamma[j] + beta[j];
                }
            }
            double[] weight = values(model, model.outputIndex());
            double[] outBias = values(model, model.outputIndex() + 1);
            result[b] = new double[config.numClasses()];
            for (int k = 0; k < config.numClasses(); k++) {
                double sum = outBias[k];
                for (int j = 0; j < features.length; j++) {
                    sum += weight[k * features.length + j] * features[j];
                }
                result[b][k] = sum;
            }
        }
        return result;
    }

    private static double[] gruStep(double[] x, double[] h, double[] wIh, double[] wHh, double[] bIh, double[] bHh) {
        int hidden = h.length;
        double[] a = new double[3 * hidden];
        double[] q = new double[3 * hidden];
        for (int g = 0; g < 3 * hidden; g++) {
            a[g] = bIh[g];
            for (int j = 0; j < x.length; j++) {
                a[g] += wIh[g * x.length + j] * x[j];
            }
            q[g] = bHh[g];
            for (int j = 0; j < hidden; j++) {
                q[g] += wHh[g * hidden + j] * h[j];
            }
        }
        double[] next = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            double reset = sigmoid(a[j] + q[j]);
            double update = sigmoid(a[hidden + j] + q[hidden + j]);
            double candidate = Math.tanh(a[2 * hidden + j] + reset * q[2 * hidden + j]);
            next[j] = (1 - update) * candidate + update * h[j];
        }
        return next;
    }

    private static double[] values(LstmClassifier model, int index) {
        NDArray p = model.parameters().get(index);
        return p.toDoubleArray();
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
