package org.dplstm.training.dpsgd;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.rdp.TruncatedNegativeBinomial;

/**
 * What a run will do, fixed before its first step: N sampling units, expected batch B, sample
 * rate q = B / N, planned steps floor(E·N/B), the noise multiplier σ (calibrated from a target or
 * given), the costs already spent, the ε cap (NaN when there is none), and for a tuned run
 * ({@code --tune}) how its trials are repeated (null: one run).
 */
public record PrivacyPlan(
        boolean isPrivate,
        PrivacyUnit unit,
        int populationSize,
        double expectedBatchSize,
        double sampleRate,
        long plannedSteps,
        double noiseMultiplier,
        double delta,
        AccountantKind accountant,
        double epsilonCap,
        List<PrivacyCost> priorCosts,
        Tuning tuning) {

    public PrivacyPlan {
        priorCosts = List.copyOf(priorCosts);
    }

    /** A plan of one run (no tuning). */
    public PrivacyPlan(boolean isPrivate, PrivacyUnit unit, int populationSize, double expectedBatchSize,
            double sampleRate, long plannedSteps, double noiseMultiplier, double delta, AccountantKind accountant,
            double epsilonCap, List<PrivacyCost> priorCosts) {
        this(isPrivate, unit, populationSize, expectedBatchSize, sampleRate, plannedSteps, noiseMultiplier, delta,
                accountant, epsilonCap, priorCosts, null);
    }

    /**
     * Private tuning (ARCHITECTURE §4.1): K ~ {@code trials} trials, each these DP-SGD steps plus
     * one selection score, the validation correct-count with Gaussian noise of standard deviation
     * {@code scoreNoiseMultiplier} (sensitivity 1); the best score's trial is released.
     */
    public record Tuning(TruncatedNegativeBinomial trials, double scoreNoiseMultiplier) {

        /** One trial's events after {@code steps} DP-SGD steps at (q, σ): the steps and its score. */
        public List<PrivacyEvent> trialEvents(PrivacyEvent.PoissonGaussian steps) {
            return List.of(steps, scoreEvent());
        }

        /** The selection score's Gaussian mechanism. */
        public PrivacyEvent.Gaussian scoreEvent() {
            return new PrivacyEvent.Gaussian(scoreNoiseMultiplier, 1);
        }
    }

    /** The same plan with noise multiplier {@code sigma} (to ask what another σ would spend). */
    public PrivacyPlan withNoiseMultiplier(double sigma) {
        return new PrivacyPlan(isPrivate, unit, populationSize, expectedBatchSize, sampleRate, plannedSteps, sigma,
                delta, accountant, epsilonCap, priorCosts, tuning);
    }

    /**
     * The run's events after {@code steps} DP-SGD steps: the earlier mechanisms, then the steps,
     * or for a tuned run one repeated selection of trials of {@code steps} steps and a score each.
     */
    public List<PrivacyEvent> spentAfter(long steps) {
        List<PrivacyEvent> events = priorEvents();
        if (tuning != null) {
            events.add(new PrivacyEvent.RepeatedSelection(tuning.trialEvents(stepEvent(steps)),
                    tuning.trials().eta(), tuning.trials().gamma()));
        } else if (steps > 0) {
            events.add(stepEvent(steps));
        }
        return events;
    }

    /** The events of every prior mechanism, in order. */
    public List<PrivacyEvent> priorEvents() {
        List<PrivacyEvent> events = new ArrayList<>();
        priorCosts.forEach(cost -> events.addAll(cost.events()));
        return events;
    }

    /** One DP-SGD step as the accountant sees it: a Poisson-subsampled Gaussian (q, σ). */
    public PrivacyEvent.PoissonGaussian stepEvent(long count) {
        return new PrivacyEvent.PoissonGaussian(sampleRate, noiseMultiplier, count);
    }

    public boolean hasEpsilonCap() {
        return !Double.isNaN(epsilonCap);
    }
}
