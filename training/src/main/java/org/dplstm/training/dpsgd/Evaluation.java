package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.DifferentiableModel;

/**
 * Mean loss and accuracy per prediction (per example for a classifier, per predicted token for a
 * language model: then exp(loss) is the perplexity) of a model on a dataset, in micro-batches,
 * dropout off.
 */
public record Evaluation(double loss, double accuracy) {

    public static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN);

    public static Evaluation of(DifferentiableModel model, EncodedDataset data, NDManager manager, int microBatchSize) {
        if (data == null || data.size() == 0) {
            return NONE;
        }
        double lossSum = 0;
        long correct = 0;
        long predictions = 0;
        for (int start = 0; start < data.size(); start += microBatchSize) {
            int end = Math.min(data.size(), start + microBatchSize);
            int[] examples = new int[end - start];
            for (int i = 0; i < examples.length; i++) {
                examples[i] = start + i;
            }
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = BatchEncoder.encode(scope, data, examples, null);
                lossSum += model.lossSum(scope, batch).toType(DataType.FLOAT64, false).getDouble();
                correct += model.correctCount(scope, batch);
                predictions += model.predictionCount(batch);
            }
        }
        if (predictions == 0) {
            return NONE;
        }
        return new Evaluation(lossSum / predictions, (double) correct / predictions);
    }
}
