package org.dplstm.audit.log;

/** The {@code type} values of audit events written by training. */
public final class EventTypes {
    public static final String RUN_START = "run_start";
    public static final String VOCABULARY = "vocabulary";
    public static final String EPOCH = "epoch";
    public static final String CHECKPOINT = "checkpoint";
    public static final String BUDGET_REFUSED = "budget_refused";
    public static final String RESUME = "resume";
    /** Training stopped on non-finite weights; run_end follows. */
    public static final String NON_FINITE = "non_finite";
    /** A tuned run (--tune): its trials, their noisy scores and the chosen one; run_end follows. */
    public static final String TUNING = "tuning";
    public static final String RUN_END = "run_end";
    public static final String TORN_TAIL_REPAIRED = ChainWriter.TORN_TAIL_REPAIRED;

    private EventTypes() {}
}
