package org.dplstm.training.model;

import java.util.Arrays;

/**
 * The language model's loss written out in plain Java doubles, one example at a time, straight
 * from its definition: a unidirectional LSTM stack over the example's real tokens, and at each
 * position t < len − 1 the softmax cross-entropy of W h_t + b against token t + 1.
 */
final class ReferenceLanguageModel {

    private ReferenceLanguageModel() {}

    static double lossSum(LstmLanguageModel model, long[] tokens, long[] lengths, int steps) {
        ModelConfig config = model.config();
        int hidden = config.hiddenSize();
        double[] table = model.parameters().get(model.embeddingIndex()).toDoubleArray();
        double[] weight = model.outputWeight(model.parameters()).toDoubleArray();
        double[] outBias = model.parameters().get(model.outputBiasIndex()).toDoubleArray();
        double loss = 0;
        for (int b = 0; b < lengths.length; b++) {
            int length = (int) lengths[b];
            double[][] layerInput = new double[length][];
            for (int t = 0; t < length; t++) {
                int token = (int) tokens[b * steps + t];
                layerInput[t] = Arrays.copyOfRange(table, token * config.embeddingDim(),
                        (token + 1) * config.embeddingDim());
            }
            for (int layer = 0; layer < config.layers(); layer++) {
                int index = model.recurrentIndex(layer, 0);
                double[] wIh = model.parameters().get(index).toDoubleArray();
                double[] wHh = model.parameters().get(index + 1).toDoubleArray();
                double[] bias = model.parameters().get(index + 2).toDoubleArray();
                double[][] output = new double[length][];
                double[] h = new double[hidden];
                double[] c = new double[hidden];
                for (int t = 0; t < length; t++) {
                    double[] x = layerInput[t];
                    double[] next = new double[hidden];
                    for (int j = 0; j < hidden; j++) {
                        double in = sigmoid(gate(wIh, wHh, bias, x, h, j));
                        double forget = sigmoid(gate(wIh, wHh, bias, x, h, hidden + j));
                        double cellInput = Math.tanh(gate(wIh, wHh, bias, x, h, 2 * hidden + j));
                        double out = sigmoid(gate(wIh, wHh, bias, x, h, 3 * hidden + j));
                        c[j] = forget * c[j] + in * cellInput;
                        next[j] = out * Math.tanh(c[j]);
                    }
                    h = next;
                    output[t] = next;
                }
                layerInput = output;
            }
            for (int t = 0; t + 1 < length; t++) {
                double[] logits = new double[config.vocabSize()];
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < logits.length; v++) {
                    double sum = outBias[v];
                    for (int j = 0; j < hidden; j++) {
                        sum += weight[v * hidden + j] * layerInput[t][j];
                    }
                    logits[v] = sum;
                    max = Math.max(max, sum);
                }
                double normaliser = 0;
                for (double logit : logits) {
                    normaliser += Math.exp(logit - max);
                }
                int target = (int) tokens[b * steps + t + 1];
                loss += max + Math.log(normaliser) - logits[target];
            }
        }
        return loss;
    }

    private static double gate(double[] wIh, double[] wHh, double[] bias, double[] x, double[] h, int row) {
        double sum = bias[row];
        for (int j = 0; j < x.length; j++) {
            sum += wIh[row * x.length + j] * x[j];
        }
        for (int j = 0; j < h.length; j++) {
            sum += wHh[row * h.length + j] * h[j];
        }
        return sum;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
