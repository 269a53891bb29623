package org.dplstm.training.privacyaudit;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.LongConsumer;
import org.dplstm.training.classifier.TextClassifier;
import org.dplstm.training.model.Batch;

/**
 * Per-example cross-entropy −log p(label | text) of a trained classifier, dropout off, in
 * chunks on the engine. The log-softmax is taken in double precision from the logits: a
 * memorised text can reach float32 probability 1, and a float32 loss of exactly 0 would tie with
 * every other saturated candidate and hide the ranking exposure needs.
 */
final class LossScorer {

    private static final int CHUNK = 1024;

    private final TextClassifier classifier;

    LossScorer(TextClassifier classifier) {
        this.classifier = classifier;
    }

    /** The label's class id; bad input names the label and the classifier's labels. */
    int labelId(String label) {
        int id = classifier.encoder().labels().indexOf(label);
        if (id < 0) {
            throw new IllegalArgumentException("label must be one of the classifier's labels "
                    + classifier.encoder().labels() + ", was '" + label + "'");
        }
        return id;
    }

    /** Loss of each text under class {@code labelIds[i]}; reports each finished chunk's size. */
    double[] losses(List<String> texts, int[] labelIds, LongConsumer progress) {
        if (texts.size() != labelIds.length) {
            throw new IllegalArgumentException("texts and labels must have the same length, were "
                    + texts.size() + " and " + labelIds.length);
        }
        double[] losses = new double[texts.size()];
        int classes = classifier.encoder().labels().size();
        for (int start = 0; start < texts.size(); start += CHUNK) {
            int end = Math.min(texts.size(), start + CHUNK);
            try (NDManager scope = classifier.model().manager().newSubManager()) {
                double[] logits = classifier.model().logits(scope, batchOf(scope, texts.subList(start, end)))
                        .toType(DataType.FLOAT64, false).toDoubleArray();
                for (int i = start; i < end; i++) {
                    losses[i] = crossEntropy(logits, (i - start) * classes, classes, labelIds[i]);
                }
            }
            progress.accept(end - start);
        }
        return losses;
    }

    /** log Σ exp(z) − z_label, with the maximum subtracted first. */
    static double crossEntropy(double[] logits, int offset, int classes, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            max = Math.max(max, logits[offset + k]);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp(logits[offset + k] - max);
        }
        return max + Math.log(sum) - logits[offset + label];
    }

    private Batch batchOf(NDManager scope, List<String> texts) {
        List<int[]> encoded = texts.stream().map(classifier.encoder()::encode).toList();
        int width = encoded.stream().mapToInt(a -> a.length).max().orElse(1);
        long[] tokens = new long[texts.size() * width];
        long[] lengths = new long[texts.size()];
        for (int row = 0; row < encoded.size(); row++) {
            int[] ids = encoded.get(row);
            for (int t = 0; t < ids.length; t++) {
                tokens[row * width + t] = ids[t];
            }
            lengths[row] = ids.length;
        }
        return new Batch(scope.create(tokens, new Shape(texts.size(), width)), scope.create(lengths, new Shape(texts.size())),
                scope.zeros(new Shape(texts.size()), DataType.INT64), null);
    }
}
