package org.dplstm.training.dpsgd;

import java.util.List;
import org.dplstm.privacy.calibration.NoiseCalibrator;
import org.dplstm.privacy.calibration.TrainingPlan;

/** Fixes a run's {@link PrivacyPlan} before training: q, steps and σ (calibrated when a target is given). */
public final class PrivacyPlanner {

    private PrivacyPlanner() {}

    /**
     * @param populationSize N: training examples, or distinct users at user level
     * @param priorCosts privacy already spent on this data (composed before the DP-SGD steps)
     */
    public static PrivacyPlan plan(DpSgdConfig config, int populationSize, List<PrivacyCost> priorCosts) {
        if (populationSize < 1) {
            throw new IllegalArgumentException("training set must not be empty, had 0 "
                    + (config.privacyUnit() == PrivacyUnit.USER ? "users" : "examples"));
        }
        double batch = config.expectedBatchSizeFor(populationSize);
        if (batch > populationSize) {
            String units = config.privacyUnit() == PrivacyUnit.USER ? "users" : "training examples";
            throw new IllegalArgumentException("batch size must be <= the number of " + units + " ("
                    + populationSize + "), was " + formatted(batch));
        }
        if (!config.isPrivate() && !priorCosts.isEmpty()) {
            throw new IllegalArgumentException("a run without privacy cannot compose prior privacy costs");
        }
        TrainingPlan plan = TrainingPlan.ofEpochs(populationSize, batch, config.epochs());
        double sigma;
        double cap = Double.NaN;
        switch (config.privacyMode()) {
            case TARGET_EPSILON -> {
                cap = config.targetEpsilon().orElseThrow();
                PrivacyPlan partial = new PrivacyPlan(true, config.privacyUnit(), populationSize, batch,
                        plan.sampleRate(), plan.steps(), Double.NaN, config.delta(), config.accountant(), cap,
                        priorCosts);
                sigma = NoiseCalibrator.noiseMultiplierFor(
                        config.accountant(), cap, config.delta(), plan, partial.priorEvents());
            }
            case FIXED_NOISE -> {
                sigma = config.noiseMultiplier().orElseThrow();
                cap = config.targetEpsilon().orElse(Double.NaN);
            }
            default -> sigma = 0;
        }
        return new PrivacyPlan(config.isPrivate(), config.privacyUnit(), populationSize, batch,
                plan.sampleRate(), plan.steps(), sigma, config.delta(), config.accountant(), cap, priorCosts);
    }

    private static String formatted(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
