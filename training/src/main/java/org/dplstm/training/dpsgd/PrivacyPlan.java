package org.dplstm.training.dpsgd;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyEvent;

/**
 * What a run will do, fixed before its first step: N sampling units, expected batch B, sample
 * rate q = B / N, planned steps floor(E·N/B), the noise multiplier σ (calibrated from a target or
 * given), the costs already spent, and the ε cap (NaN when there is none).
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
        List<PrivacyCost> priorCosts) {

    public PrivacyPlan {
        priorCosts = List.copyOf(priorCosts);
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
