package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDArray;
import org.dplstm.training.mechanism.ghost.PositionRows;

/** Batch-first arrays as position rows: (B, d1, …, dk, F) is (B, d1·…·dk, F). */
final class Rows {

    private Rows() {}

    static PositionRows positions(NDArray batchFirst) {
        long examples = batchFirst.getShape().get(0);
        long width = batchFirst.getShape().get(batchFirst.getShape().dimension() - 1);
        return PositionRows.batchMajor(batchFirst.reshape(examples, -1, width));
    }
}
