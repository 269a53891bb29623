package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.dplstm.training.model.Batch;

/** Turns example indices into the engine arrays of a {@link Batch}, right-padded with token 0. */
final class BatchEncoder {

    private BatchEncoder() {}

    static Batch encode(NDManager scope, EncodedDataset data, int[] examples, int[] groups) {
        int batchSize = examples.length;
        int maxLength = 1;
        for (int example : examples) {
            maxLength = Math.max(maxLength, data.tokensOf(example).length);
        }
        long[] tokens = new long[batchSize * maxLength];
        long[] lengths = new long[batchSize];
        long[] labels = new long[batchSize];
        for (int row = 0; row < batchSize; row++) {
            int[] ids = data.tokensOf(examples[row]);
            for (int t = 0; t < ids.length; t++) {
                tokens[row * maxLength + t] = ids[t];
            }
            lengths[row] = ids.length;
            labels[row] = data.labelOf(examples[row]);
        }
        long[] groupIds = null;
        if (groups != null) {
            groupIds = new long[batchSize];
            for (int row = 0; row < batchSize; row++) {
                groupIds[row] = groups[row];
            }
        }
        return new Batch(
                scope.create(tokens, new Shape(batchSize, maxLength)),
                scope.create(lengths, new Shape(batchSize)),
                scope.create(labels, new Shape(batchSize)),
                groupIds == null ? null : scope.create(groupIds, new Shape(batchSize)));
    }
}
