package org.dplstm.training.mechanism.ghost;

/**
 * Which form of a per-unit squared norm to compute for a weight used at L positions of a unit,
 * with n outputs and d inputs (ARCHITECTURE §3.3): the ghost form's two (L×L) Grams, L²·(n + d)
 * multiply-adds and L² values per unit, or the unit's (n×d) gradient materialised, L·n·d
 * multiply-adds and n·d values. The materialised form is taken when it is cheaper and holds no
 * more than a Gram does, so the choice never raises a step's memory.
 */
public final class NormForm {

    private NormForm() {}

    /** For a linear map: n·d < L·(n + d) and n·d ≤ L². */
    public static boolean materialiseLinear(long positions, long outputs, long inputs) {
        long materialised = outputs * inputs;
        return materialised < positions * (outputs + inputs) && materialised <= positions * positions;
    }

    /**
     * For an embedding table of V rows and width E looked up at L positions: V·E < L·(E + 1)
     * (the ghost form's Gram and token matches against one-hot rows) and V·E ≤ L².
     */
    public static boolean materialiseTable(long positions, long vocab, long width) {
        long materialised = vocab * width;
        return materialised < positions * (width + 1) && materialised <= positions * positions;
    }
}
