package org.dplstm.training.mechanism.ghost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * One vector per (example, position) of a batch, laid out as the layer produced it: batch-major
 * (B, n, d) or time-major (n, B, d), never copied to change layout. Per-unit Gram matrices lay a
 * clipping unit's rows side by side (ARCHITECTURE §3.3); clipped sums treat all rows as one matrix
 * (§3.5), so rows that go together (a weight's input and output gradient) must share one layout.
 */
public final class PositionRows {

    private final NDArray array;
    private final boolean timeMajor;

    private PositionRows(NDArray array, boolean timeMajor) {
        if (array.getShape().dimension() != 3) {
            throw new IllegalArgumentException("position rows must be 3-D, were " + array.getShape());
        }
        this.array = array;
        this.timeMajor = timeMajor;
    }

    /** (B, n, d); a (B, d) array is one position per example. */
    public static PositionRows batchMajor(NDArray rows) {
        return new PositionRows(rows.getShape().dimension() == 2 ? rows.expandDims(1) : rows, false);
    }

    /** (n, B, d), as a recurrent layer runs. */
    public static PositionRows timeMajor(NDArray rows) {
        return new PositionRows(rows, true);
    }

    /** The array as given, (B, n, d) or (n, B, d). */
    public NDArray array() {
        return array;
    }

    public boolean isTimeMajor() {
        return timeMajor;
    }

    public long examples() {
        return array.getShape().get(timeMajor ? 1 : 0);
    }

    public long positions() {
        return array.getShape().get(timeMajor ? 0 : 1);
    }

    public long width() {
        return array.getShape().get(2);
    }

    /** Whether {@code other} has the same layout, examples and positions (rows pair up one to one). */
    boolean pairsWith(PositionRows other) {
        return timeMajor == other.timeMajor
                && array.getShape().get(0) == other.array.getShape().get(0)
                && array.getShape().get(1) == other.array.getShape().get(1);
    }

    /** Each unit's rows side by side: (U, m·n, d), m the largest unit. */
    NDArray byUnit(ClippingUnits units) {
        return units.regroup(timeMajor ? array.transpose(1, 0, 2) : array);
    }

    /** Every row, (B·n, d), in the array's own order. */
    NDArray flat() {
        return array.reshape(-1, width());
    }

    /** Every row times its example's factor (B), (B·n, d), in the same order as {@link #flat()}. */
    NDArray scaledFlat(NDArray exampleFactors) {
        long examples = examples();
        Shape broadcast = timeMajor ? new Shape(1, examples, 1) : new Shape(examples, 1, 1);
        return array.mul(exampleFactors.reshape(broadcast)).reshape(-1, width());
    }
}
