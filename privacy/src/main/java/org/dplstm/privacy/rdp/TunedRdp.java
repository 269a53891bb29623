package org.dplstm.privacy.rdp;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.PrivacyEvent;

/**
 * The RDP of private hyperparameter tuning: run a trial Q a random number K ~ D_{η,γ} of times
 * ({@link TruncatedNegativeBinomial}) and release only the best trial (by a score that is part of
 * Q's output). Papernot and Steinke 2022, Theorem 2: if Q is (λ, ε)-RDP and (λ̂, ε̂)-RDP, the
 * tuned algorithm is (λ, ε')-RDP with
 *
 * <pre>
 *   ε' = ε + (1+η)(1 - 1/λ̂) ε̂ + (1+η) log(1/γ) / λ̂ + log(E[K]) / (λ - 1)
 * </pre>
 *
 * for every λ > 1 and λ̂ >= 1. λ̂ is free, so the middle terms are minimised once over the order
 * grid; every λ̂ gives a valid bound, so a missed minimum is only looser. The (ε, δ) conversion is
 * {@link RdpAccountant}'s. ARCHITECTURE §4.1. Immutable.
 */
public final class TunedRdp {

    private final DoubleUnaryOperator perTrialRdp;
    private final TruncatedNegativeBinomial trials;
    private final double selectionCost;
    private final double selectionOrder;

    /**
     * @param perTrialRdp one trial's RDP as a function of the order (> 1): every mechanism a
     *     trial runs on private data, its selection score included
     */
    public TunedRdp(DoubleUnaryOperator perTrialRdp, TruncatedNegativeBinomial trials) {
        this.perTrialRdp = perTrialRdp;
        this.trials = trials;
        double logOneOverGamma = -Math.log(trials.gamma());
        double[] best = RdpAccountant.search(lambdaHat ->
                (1 - 1 / lambdaHat) * perTrialRdp.applyAsDouble(lambdaHat) + logOneOverGamma / lambdaHat);
        this.selectionCost = (1 + trials.eta()) * best[0];
        this.selectionOrder = best[1];
    }

    /** Tuning of a trial whose private mechanisms are {@code perTrialEvents}, composed under RDP. */
    public static TunedRdp of(List<PrivacyEvent> perTrialEvents, TruncatedNegativeBinomial trials) {
        if (perTrialEvents.stream().anyMatch(e -> e instanceof PrivacyEvent.ThresholdDelta)) {
            throw new IllegalArgumentException("a tuned trial must not pay a threshold delta (Theorem 2 needs"
                    + " the trial's RDP curve, and a delta has none)");
        }
        RdpAccountant trial = new RdpAccountant();
        trial.composeAll(perTrialEvents);
        return new TunedRdp(trial::rdp, trials);
    }

    /** ε' at order {@code order} (> 1), Theorem 2. */
    public double rdp(double order) {
        if (!(order > 1)) {
            throw new IllegalArgumentException("order must be > 1, was " + order);
        }
        return perTrialRdp.applyAsDouble(order) + selectionCost + Math.log(trials.mean()) / (order - 1);
    }

    /** The tuned algorithm's ε at {@code delta}, from its RDP. */
    public double epsilon(double delta) {
        Checks.openUnitInterval("delta", delta);
        return Math.max(0, RdpAccountant.epsilonAndOrder(this::rdp, delta)[0]);
    }

    /** (1+η) min over λ̂ of ((1 - 1/λ̂) ε̂(λ̂) + log(1/γ)/λ̂): the order-independent part of the price of selection. */
    public double selectionCost() {
        return selectionCost;
    }

    /** The λ̂ that gives {@link #selectionCost()}. */
    public double selectionOrder() {
        return selectionOrder;
    }

    public TruncatedNegativeBinomial trials() {
        return trials;
    }
}
