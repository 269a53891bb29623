package org.dplstm.training.dpsgd;

/**
 * Plain-Java closed form of {@link BagOfTokensSoftmaxModel}'s per-example gradients, clipping and
 * sums, written independently of the engine: the hand computation the loop is checked against.
 */
final class SoftmaxReference {

    private final int vocabulary;
    private final int classes;

    SoftmaxReference(int vocabulary, int classes) {
        this.vocabulary = vocabulary;
        this.classes = classes;
    }

    /** The full gradient (W row-major, then b) of one example's loss. */
    double[] gradient(double[] w, double[] b, int[] tokens, int label) {
        double[] x = new double[vocabulary];
        for (int token : tokens) {
            x[token] += 1;
        }
        double[] logits = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            logits[k] = b[k];
            for (int v = 0; v < vocabulary; v++) {
                logits[k] += w[k * vocabulary + v] * x[v];
            }
            max = Math.max(max, logits[k]);
        }
        double norm = 0;
        for (int k = 0; k < classes; k++) {
            logits[k] = Math.exp(logits[k] - max);
            norm += logits[k];
        }
        double[] gradient = new double[classes * vocabulary + classes];
        for (int k = 0; k < classes; k++) {
            double d = logits[k] / norm - (k == label ? 1 : 0);
            for (int v = 0; v < vocabulary; v++) {
                gradient[k * vocabulary + v] = d * x[v];
            }
            gradient[classes * vocabulary + k] = d;
        }
        return gradient;
    }

    /** Sum over units of each unit's summed gradient, clipped to L2 norm {@code c}. */
    double[] clippedSum(double[] w, double[] b, EncodedDataset data, int[][] units, double c) {
        double[] sum = new double[classes * vocabulary + classes];
        for (int[] unit : units) {
            double[] unitGradient = new double[sum.length];
            for (int example : unit) {
                double[] g = gradient(w, b, data.tokensOf(example), data.labelOf(example));
                for (int j = 0; j < g.length; j++) {
                    unitGradient[j] += g[j];
                }
            }
            double squared = 0;
            for (double value : unitGradient) {
                squared += value * value;
            }
            double factor = Math.min(1, c / Math.sqrt(squared));
            for (int j = 0; j < sum.length; j++) {
                sum[j] += factor * unitGradient[j];
            }
        }
        return sum;
    }
}
