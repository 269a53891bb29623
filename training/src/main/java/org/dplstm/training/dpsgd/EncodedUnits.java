package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.pergrad.TextBatches;

/**
 * An encoded text dataset as DP-SGD samples it: each example a unit, or (user level) all examples
 * of one user, in batches right-padded with token 0 ({@link TextBatches}' layout).
 */
public final class EncodedUnits implements UnitData {

    private final EncodedDataset data;
    private final boolean userLevel;

    private EncodedUnits(EncodedDataset data, boolean userLevel) {
        this.data = data;
        this.userLevel = userLevel;
    }

    /** The units of {@code data} for a privacy unit ({@link PrivacyUnit#USER} needs a user id per example). */
    public static EncodedUnits of(EncodedDataset data, PrivacyUnit unit) {
        if (unit == PrivacyUnit.USER && !data.hasUsers()) {
            throw new IllegalArgumentException("privacy unit user needs a user id for every training example");
        }
        return new EncodedUnits(data, unit == PrivacyUnit.USER);
    }

    @Override
    public int unitCount() {
        return data.unitCount(userLevel ? PrivacyUnit.USER : PrivacyUnit.EXAMPLE);
    }

    @Override
    public int[] examplesOf(int unit) {
        return userLevel ? data.examplesByUser()[unit] : new int[] {unit};
    }

    @Override
    public boolean grouped() {
        return userLevel;
    }

    @Override
    public ExampleBatch batch(NDManager scope, int[] examples, long[] groups) {
        return TextBatches.toExampleBatch(BatchEncoder.encode(scope, data, examples, null), groups);
    }
}
