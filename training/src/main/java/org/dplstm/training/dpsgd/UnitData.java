package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import org.dplstm.training.mechanism.clip.ExampleBatch;

/**
 * Training data as DP-SGD samples it: N privacy units (examples, or users with all their
 * examples), each unit's examples, and any set of examples as a batch for a clipper.
 */
public interface UnitData {

    /** N: the population Poisson sampling draws from. */
    int unitCount();

    /** The examples of one unit (one example at example level). */
    int[] examplesOf(int unit);

    /** Whether units are groups of examples whose gradient sum is clipped as one (user level). */
    boolean grouped();

    /**
     * The examples as one batch in {@code scope}; {@code groups} numbers each example's unit within
     * the batch (null at example level).
     */
    ExampleBatch batch(NDManager scope, int[] examples, long[] groups);
}
