package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.Batch;

/**
 * The project's text batches as the mechanism's clippers take them: inputs [token ids (B, T),
 * lengths (B)], labels [targets (B)], and each example's clipping unit as plain numbers.
 */
public final class TextBatches {

    private TextBatches() {}

    /** {@code batch} for a clipper; its groups (if any) read back to the host once. */
    public static ExampleBatch toExampleBatch(Batch batch) {
        long[] groups = batch.groups() == null ? null : batch.groups().toType(DataType.INT64, false).toLongArray();
        return toExampleBatch(batch, groups);
    }

    /** {@code batch} (without groups of its own) for a clipper, with each example's clipping unit (null: itself). */
    public static ExampleBatch toExampleBatch(Batch batch, long[] groups) {
        return new ExampleBatch(new NDList(batch.tokens(), batch.lengths()), new NDList(batch.labels()), groups);
    }

    /** The model's view of a clipper's batch (its units are {@link #unitsOf(ExampleBatch)}). */
    public static Batch toBatch(ExampleBatch batch) {
        if (batch.inputs().size() != 2 || batch.labels().size() != 1) {
            throw new IllegalArgumentException("a text batch must have inputs [tokens, lengths] and labels [targets], had "
                    + batch.inputs().size() + " inputs and " + batch.labels().size() + " labels");
        }
        return new Batch(batch.inputs().get(0), batch.inputs().get(1), batch.labels().head(), null);
    }

    static ClippingUnits unitsOf(ExampleBatch batch) {
        return ClippingUnits.of(batch.size(), batch.groups());
    }

    static ClippingUnits unitsOf(Batch batch) {
        int size = Math.toIntExact(batch.size());
        return ClippingUnits.of(size, batch.groups() == null ? null : batch.groups().toType(DataType.INT64, false)
                .toLongArray());
    }
}
