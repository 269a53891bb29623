package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Where the real tokens of a right-padded, time-major (T, B, ...) batch are. Rows of a
 * (T·B, d) view are numbered {@code t·B + b}. The engine's LSTM op takes no lengths, so a
 * reverse direction runs forward over each example's sequence reversed within its own length
 * (ARCHITECTURE §3.6): position t of example b reads position {@code len_b − 1 − t} for t < len_b and
 * keeps padding where it is, so padding never reaches a real position in either direction.
 */
public final class SequenceLayout {

    private final long[] lengths;
    private final int steps;

    private SequenceLayout(long[] lengths, int steps) {
        this.lengths = lengths;
        this.steps = steps;
    }

    /** Reads and checks each example's length against the padded length {@code steps}. */
    public static SequenceLayout of(NDArray lengths, int steps) {
        long[] values = lengths.toType(DataType.INT64, false).toLongArray();
        for (int b = 0; b < values.length; b++) {
            if (values[b] < 1 || values[b] > steps) {
                throw new IllegalArgumentException(
                        "length of example " + b + " must be in [1, " + steps + "], was " + values[b]);
            }
        }
        return new SequenceLayout(values, steps);
    }

    public int batchSize() {
        return lengths.length;
    }

    public int steps() {
        return steps;
    }

    public long length(int example) {
        return lengths[example];
    }

    /** Flat rows (T·B) that reverse each example within its length; an involution. */
    public NDArray reversedRows(NDManager manager) {
        int batch = lengths.length;
        long[] rows = new long[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                long source = t < lengths[b] ? lengths[b] - 1 - t : t;
                rows[t * batch + b] = source * batch + b;
            }
        }
        return manager.create(rows);
    }

    /** Flat row (B) of each example's last real position. */
    public NDArray lastRows(NDManager manager) {
        int batch = lengths.length;
        long[] rows = new long[batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = (lengths[b] - 1) * batch + b;
        }
        return manager.create(rows);
    }

    /** (T, B, 1) of ones at each example's last real position, zeros elsewhere. */
    public NDArray lastPositionMask(NDManager manager, DataType dataType) {
        int batch = lengths.length;
        double[] mask = new double[steps * batch];
        for (int b = 0; b < batch; b++) {
            mask[(int) (lengths[b] - 1) * batch + b] = 1;
        }
        return manager.create(mask, new Shape(steps, batch, 1)).toType(dataType, false);
    }

    /** (T, B, 1) of 1/len_b at each example's real positions, zeros on padding. */
    public NDArray meanWeights(NDManager manager, DataType dataType) {
        int batch = lengths.length;
        double[] weights = new double[steps * batch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                weights[t * batch + b] = 1.0 / lengths[b];
            }
        }
        return manager.create(weights, new Shape(steps, batch, 1)).toType(dataType, false);
    }

    /**
     * (T, B, 1) of ones where a language model predicts a real next token (t < len_b − 1),
     * zeros at each last real position and on padding.
     */
    public NDArray predictedPositionMask(NDManager manager, DataType dataType) {
        int batch = lengths.length;
        double[] mask = new double[steps * batch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b] - 1; t++) {
                mask[t * batch + b] = 1;
            }
        }
        return manager.create(mask, new Shape(steps, batch, 1)).toType(dataType, false);
    }

    /**
     * How many predicted positions (see {@link #predictedPositionMask}) have the most probable
     * token of {@code logits} (T, B, V) equal to the token they predict, {@code next} (T, B).
     */
    public long correctPredictions(NDManager work, NDArray logits, NDArray next) {
        NDArray mask = predictedPositionMask(work, DataType.INT64).squeeze(2);
        NDArray hits = logits.argMax(2).toType(DataType.INT64, false).eq(next).toType(DataType.INT64, false);
        return hits.mul(mask).sum().getLong();
    }

    /** Positions a language model predicts: Σ_b (len_b − 1). */
    public long predictedPositions() {
        long count = 0;
        for (long length : lengths) {
            count += length - 1;
        }
        return count;
    }

    /** Reorders a time-major (T, B, d) array by flat rows (T·B): {@code out[r] = x[rows[r]]}. */
    public static NDArray gatherRows(NDArray timeMajor, NDArray rows) {
        Shape shape = timeMajor.getShape();
        long width = shape.get(2);
        return timeMajor
                .reshape(shape.get(0) * shape.get(1), width)
                .get(new NDIndex("{}", rows))
                .reshape(shape);
    }
}
