package org.dplstm.privacy.calibration;

import org.dplstm.privacy.Checks;

/**
 * How many DP-SGD steps a run takes and at what Poisson sample rate. Immutable. A plan in epochs
 * has q = B / N and steps = max(1, floor(E * N / B)) (ARCHITECTURE §4).
 */
public final class TrainingPlan {

    private final double sampleRate;
    private final long steps;

    private TrainingPlan(double sampleRate, long steps) {
        this.sampleRate = Checks.halfOpenUnitInterval("sample rate", sampleRate);
        this.steps = Checks.atLeast("steps", steps, 1);
    }

    public static TrainingPlan ofSteps(double sampleRate, long steps) {
        return new TrainingPlan(sampleRate, steps);
    }

    public static TrainingPlan ofEpochs(long datasetSize, double expectedBatchSize, double epochs) {
        Checks.atLeast("dataset size", datasetSize, 1);
        Checks.finite("batch size", expectedBatchSize);
        Checks.inRange("batch size", expectedBatchSize, Double.MIN_VALUE, datasetSize);
        Checks.positive("epochs", epochs);
        Checks.finite("epochs", epochs);
        double exactSteps = epochs * datasetSize / expectedBatchSize;
        // Guard floor() against 9.999999999999998 when the exact quotient is an integer.
        long steps = (long) Math.floor(exactSteps * (1 + 1e-12));
        return new TrainingPlan(expectedBatchSize / datasetSize, Math.max(1, steps));
    }

    public double sampleRate() {
        return sampleRate;
    }

    public long steps() {
        return steps;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrainingPlan plan && plan.sampleRate == sampleRate && plan.steps == steps;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(sampleRate) * 31 + Long.hashCode(steps);
    }

    @Override
    public String toString() {
        return "TrainingPlan[sampleRate=" + sampleRate + ", steps=" + steps + "]";
    }
}
