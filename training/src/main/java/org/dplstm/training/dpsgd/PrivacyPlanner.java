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
        return plan(config, populationSize, priorCosts, null);
    }

    /**
     * As {@link #plan(DpSgdConfig, int, List)}; with {@code tuning}, σ is calibrated so the tuned
     * algorithm (every trial, the selection) meets the target ε under RDP (ARCHITECTURE §4.1).
     */
    public static PrivacyPlan plan(DpSgdConfig config, int populationSize, List<PrivacyCost> priorCosts,
            PrivacyPlan.Tuning tuning) {
        if (populationSize < 1) {
            throw new IllegalArgumentException("training set must not be empty, had 0 "
                    + config.privacyUnit().plural());
        }
        double batch = config.expectedBatchSizeFor(populationSize);
        if (batch > populationSize) {
            throw new IllegalArgumentException("batch size must be <= the number of training "
                    + config.privacyUnit().plural() + " ("
                    + populationSize + "), was " + formatted(batch));
        }
        if (!config.isPrivate() && !priorCosts.isEmpty()) {
            throw new IllegalArgumentException("a run without privacy cannot compose prior privacy costs");
        }
        if (tuning != null) {
            checkTunable(config, priorCosts);
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
                sigma = tuning != null
                        ? NoiseCalibrator.noiseMultiplierForTuning(cap, config.delta(), plan,
                                List.of(tuning.scoreEvent()), tuning.trials())
                        : NoiseCalibrator.noiseMultiplierFor(
                                config.accountant(), cap, config.delta(), plan, partial.priorEvents());
            }
            case FIXED_NOISE -> {
                sigma = config.noiseMultiplier().orElseThrow();
                cap = config.targetEpsilon().orElse(Double.NaN);
            }
            default -> sigma = 0;
        }
        return new PrivacyPlan(config.isPrivate(), config.privacyUnit(), populationSize, batch,
                plan.sampleRate(), plan.steps(), sigma, config.delta(), config.accountant(), cap, priorCosts, tuning);
    }

    /**
     * Tuning's bound (Papernot and Steinke 2022, Theorem 2) is an RDP bound on a trial of its own:
     * a private run, the RDP accountant, nothing spent before it, example-level units (the
     * score's sensitivity 1 counts one validation example).
     */
    private static void checkTunable(DpSgdConfig config, List<PrivacyCost> priorCosts) {
        if (!config.isPrivate()) {
            throw new IllegalArgumentException("tuning needs a private run (--epsilon or --noise-multiplier), not"
                    + " --no-privacy");
        }
        if (config.accountant() != org.dplstm.privacy.AccountantKind.RDP) {
            throw new IllegalArgumentException("tuning needs the rdp accountant (its bound is an RDP bound), was "
                    + config.accountant().id());
        }
        if (!priorCosts.isEmpty()) {
            throw new IllegalArgumentException("tuning cannot follow another private mechanism on the data (e.g."
                    + " --vocab dp), had " + priorCosts.get(0).mechanism());
        }
        if (config.privacyUnit() != PrivacyUnit.EXAMPLE) {
            throw new IllegalArgumentException("tuning needs --privacy-unit example (the selection score counts"
                    + " validation examples), was " + config.privacyUnit().id());
        }
    }

    private static String formatted(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
