package org.dplstm.training.dpsgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Packs a step's sampled units into micro-batches of at most a given number of examples. */
public final class MicroBatcher {

    private final int maxExamples;

    public MicroBatcher(int maxExamples) {
        this.maxExamples = maxExamples;
    }

    /**
     * @param units each sampled unit's example indices (one example per unit at example level)
     * @param grouped whether to number clipping units (user level) or let each example be one
     */
    public List<MicroBatch> pack(List<int[]> units, boolean grouped) {
        List<MicroBatch> batches = new ArrayList<>();
        int[] examples = new int[maxExamples];
        int[] groups = new int[maxExamples];
        int filled = 0;
        int unitsInBatch = 0;
        for (int[] unit : units) {
            if (filled > 0 && filled + unit.length > maxExamples) {
                batches.add(slice(examples, groups, filled, grouped));
                filled = 0;
                unitsInBatch = 0;
            }
            if (unit.length > maxExamples) {
                // A unit larger than the bound travels alone: its examples must be clipped together.
                int[] own = new int[unit.length];
                batches.add(new MicroBatch(unit.clone(), grouped ? own : null));
                continue;
            }
            for (int example : unit) {
                examples[filled] = example;
                groups[filled] = unitsInBatch;
                filled++;
            }
            unitsInBatch++;
        }
        if (filled > 0) {
            batches.add(slice(examples, groups, filled, grouped));
        }
        return batches;
    }

    private static MicroBatch slice(int[] examples, int[] groups, int filled, boolean grouped) {
        return new MicroBatch(
                Arrays.copyOf(examples, filled), grouped ? Arrays.copyOf(groups, filled) : null);
    }
}
