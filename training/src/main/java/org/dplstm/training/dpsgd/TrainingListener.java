package org.dplstm.training.dpsgd;

import java.nio.file.Path;
import java.util.Map;

/**
 * Callbacks from a DP-SGD run: the seam for progress bars and the audit log. Every method has an
 * empty default. Only {@link #onStepEnd} carries non-private figures (for a local console).
 */
public interface TrainingListener {

    /**
     * The examples the run trains and validates on: the records left once sanitization has dropped
     * any (records, whatever the privacy unit; 0 without validation data). Before {@link
     * #onRunStart}, on a resume too, which encodes the data again.
     */
    default void onDataEncoded(int trainExamples, int validExamples) {}

    /** Before the first step (of a new run, or of a resumed one: {@code resumedFromStep} > 0). */
    default void onRunStart(PrivacyPlan plan, DpSgdConfig config, long resumedFromStep) {}

    default void onStepEnd(StepProgress progress) {}

    default void onEpochEnd(EpochSummary summary) {}

    /**
     * A checkpoint was written and synced, and replaces {@code file} when every listener has
     * returned (a listener that throws keeps the previous one); {@code sha256} is the hex hash of
     * its bytes.
     */
    default void onCheckpoint(Path file, long steps, double epsilon, String sha256) {}

    /** The next step would take ε above the cap: training stops cleanly before it. */
    default void onBudgetRefused(long steps, double epsilonSpent, double epsilonCap) {}

    /**
     * The weights became non-finite after {@code steps} steps (ε spent so far, NaN without
     * privacy): training stops; {@link #onRunEnd} follows with the steps taken.
     */
    default void onNonFinite(long steps, double epsilonSpent) {}

    default void onRunEnd(TrainingResult result) {}

    /**
     * A tuned run ({@code --tune}) starts trial {@code trial} (1-based) of {@code trials} at this
     * grid point; the trial's own epochs follow (their ε is one trial's, not the tuned total).
     */
    default void onTrialStart(int trial, long trials, Map<String, Object> point) {}

    /** A tuned run chose its trial: the tuning section of the report and the audit log; run end follows. */
    default void onTuningEnd(Map<String, Object> tuning) {}
}
