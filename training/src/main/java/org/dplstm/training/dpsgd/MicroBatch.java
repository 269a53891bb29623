package org.dplstm.training.dpsgd;

/**
 * A slice of a step's sampled batch small enough for the engine: example indices and, in
 * user-level mode, each example's clipping unit numbered 0.. within this slice ({@code null} when
 * every example is its own unit). A unit never spans two slices, so each slice's clipped sum is
 * complete on its own and the slices' sums add up to the step's clipped sum (ARCHITECTURE §2).
 */
public record MicroBatch(int[] examples, int[] groups) {

    public int size() {
        return examples.length;
    }
}
