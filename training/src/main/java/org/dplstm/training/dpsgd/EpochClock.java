package org.dplstm.training.dpsgd;

/**
 * Which epoch a DP-SGD step belongs to. An epoch is L = N / (expected batch size) steps, a real
 * number: the step with 0-based index i is in epoch ⌊i / L⌋ + 1, and an epoch ends after the step
 * whose successor is in the next one, or after the plan's last step. Rounding L to whole steps
 * instead made a run of 8 epochs with L = 47.17 (377 planned steps) end with an "epoch 9" of one
 * step.
 */
public final class EpochClock {

    private final double length;
    private final long plannedSteps;

    /** The clock of {@code plan}: epochs of N / (expected batch size) steps, ending at its planned steps. */
    public static EpochClock of(PrivacyPlan plan) {
        return new EpochClock(plan.populationSize() / plan.expectedBatchSize(), plan.plannedSteps());
    }

    EpochClock(double length, long plannedSteps) {
        if (!(length > 0) || Double.isInfinite(length)) {
            throw new IllegalArgumentException("epoch length must be positive and finite, was " + length);
        }
        this.length = length;
        this.plannedSteps = plannedSteps;
    }

    /** The 1-based epoch of the step with 0-based index {@code step}. */
    public int epochOf(long step) {
        return (int) Math.floor(step / length) + 1;
    }

    /** Whether the epoch ends once {@code stepsDone} steps are done (the last planned step ends one too). */
    public boolean endsEpoch(long stepsDone) {
        return stepsDone == plannedSteps || stepsDone > 0 && epochOf(stepsDone) != epochOf(stepsDone - 1);
    }

    /** The 0-based index of the first step of {@code epoch}. */
    public long firstStepOf(int epoch) {
        long step = Math.max(0, (long) Math.floor((epoch - 1) * length) - 1);
        while (epochOf(step) < epoch) {
            step++;
        }
        return step;
    }

    /** The steps of {@code epoch} that the plan takes (the last epoch may be cut short by the plan). */
    public long stepsIn(int epoch) {
        return Math.min(firstStepOf(epoch + 1), plannedSteps) - firstStepOf(epoch);
    }
}
