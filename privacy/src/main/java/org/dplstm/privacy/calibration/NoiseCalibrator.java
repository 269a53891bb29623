package org.dplstm.privacy.calibration;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.HistoryOutOfRangeException;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.privacy.rdp.TruncatedNegativeBinomial;
import org.dplstm.privacy.rdp.TunedRdp;

/**
 * Finds the smallest noise multiplier that keeps a training plan within a target (epsilon,
 * delta), on top of privacy already spent. Epsilon decreases with sigma, so a bracket plus a
 * safeguarded root search (bisection with Illinois interpolation on log sigma) converges; the
 * answer is always the upper end of the bracket, whose epsilon meets the target.
 *
 * <p>A sigma whose epsilon the accountant cannot compute (the PLD accountant's grid limit, {@link
 * HistoryOutOfRangeException}: only the smallest sigmas, as the grid grows when sigma shrinks) counts
 * as not meeting the target, so the search never answers with it: when the target is loose enough
 * to allow such a sigma, the answer is the smallest computable sigma that meets it (more noise is
 * always safe), and the same accountant can compute it again during training.
 */
public final class NoiseCalibrator {

    /** The largest noise multiplier the search will consider. */
    public static final double MAX_NOISE_MULTIPLIER = 1000;
    /** The smallest: below it the accountants' accuracy is not claimed, and more noise is always safe. */
    public static final double MIN_NOISE_MULTIPLIER = 0.1;
    /** The answer is within this relative distance above the exact smallest sigma. */
    static final double RELATIVE_TOLERANCE = 1e-3;

    private NoiseCalibrator() {}

    public static double noiseMultiplierFor(AccountantKind kind, double targetEpsilon, double delta,
            TrainingPlan plan, List<PrivacyEvent> priorEvents) {
        EpsilonCurve curve = sigma -> epsilon(kind, sigma, delta, plan, priorEvents);
        // Checked on the plain curve: if even the most noise is beyond the accountant, its
        // exception (bad input, naming the plan) is the answer.
        requireReachable(curve, targetEpsilon, delta, "this plan");
        // Start from the RDP answer: RDP over-states epsilon, so it needs at least as much noise.
        double high = kind == AccountantKind.RDP
                ? MAX_NOISE_MULTIPLIER
                : noiseMultiplierFor(AccountantKind.RDP, targetEpsilon, delta, plan, priorEvents, 1e-2);
        return search(computable(curve), targetEpsilon, high, RELATIVE_TOLERANCE);
    }

    /**
     * The smallest σ for which private tuning stays within (targetEpsilon, delta): K ~ {@code
     * trials} trials, each the plan's DP-SGD steps at σ plus {@code otherTrialEvents} (e.g. its
     * noisy selection score), the best released. The ε is the tuned algorithm's, from RDP
     * (Papernot and Steinke 2022, Theorem 2; ARCHITECTURE §4.1): there is no PLD bound for it.
     */
    public static double noiseMultiplierForTuning(double targetEpsilon, double delta, TrainingPlan plan,
            List<PrivacyEvent> otherTrialEvents, TruncatedNegativeBinomial trials) {
        EpsilonCurve curve = sigma -> tunedEpsilon(sigma, delta, plan, otherTrialEvents, trials);
        requireReachable(curve, targetEpsilon, delta, "this plan tuned with mean " + trials.mean() + " trials");
        return search(curve, targetEpsilon, MAX_NOISE_MULTIPLIER, RELATIVE_TOLERANCE);
    }

    /** Checks the target and delta, and that the most noise on offer meets the target. */
    private static void requireReachable(EpsilonCurve curve, double targetEpsilon, double delta, String what) {
        Checks.positive("target epsilon", targetEpsilon);
        Checks.finite("target epsilon", targetEpsilon);
        Checks.delta("delta", delta);
        double atMax = curve.at(MAX_NOISE_MULTIPLIER);
        if (atMax > targetEpsilon) {
            throw new IllegalArgumentException("target epsilon must be at least " + atMax
                    + " (what noise multiplier " + MAX_NOISE_MULTIPLIER + " gives for " + what + "), was " + targetEpsilon);
        }
    }

    /** ε of tuning with {@code trials} trials, each the plan's steps at σ plus {@code otherTrialEvents}. */
    public static double tunedEpsilon(double sigma, double delta, TrainingPlan plan,
            List<PrivacyEvent> otherTrialEvents, TruncatedNegativeBinomial trials) {
        List<PrivacyEvent> trial = new ArrayList<>(otherTrialEvents);
        trial.add(new PrivacyEvent.PoissonGaussian(plan.sampleRate(), sigma, plan.steps()));
        return TunedRdp.of(trial, trials).epsilon(delta);
    }

    private static double noiseMultiplierFor(AccountantKind kind, double targetEpsilon, double delta,
            TrainingPlan plan, List<PrivacyEvent> priorEvents, double tolerance) {
        EpsilonCurve curve = sigma -> epsilon(kind, sigma, delta, plan, priorEvents);
        return search(computable(curve), targetEpsilon, MAX_NOISE_MULTIPLIER, tolerance);
    }

    /**
     * The curve with +Infinity where the accountant cannot compute epsilon: such a sigma is not
     * known to meet any target, and the search moves above it.
     */
    private static EpsilonCurve computable(EpsilonCurve curve) {
        return sigma -> {
            try {
                return curve.at(sigma);
            } catch (HistoryOutOfRangeException e) {
                return Double.POSITIVE_INFINITY;
            }
        };
    }

    private static double search(EpsilonCurve curve, double target, double highGuess, double tolerance) {
        // Bracket [low, high] with eps(low) > target >= eps(high); eps may be +Infinity (not
        // computable), whereupon the interpolation below falls back to bisection.
        double high = Math.min(highGuess, MAX_NOISE_MULTIPLIER);
        double epsHigh = curve.at(high);
        double low = Double.NaN;
        double epsLow = Double.NaN;
        while (epsHigh > target && high < MAX_NOISE_MULTIPLIER) {
            low = high; // misses the target: the bracket's lower end, without probing it again
            epsLow = epsHigh;
            high = Math.min(MAX_NOISE_MULTIPLIER, high * 2);
            epsHigh = curve.at(high);
        }
        if (epsHigh > target) {
            // Only a starting guess gets here (RDP missing a target PLD meets at the most noise):
            // searches that must meet the target check the most noise first (requireReachable).
            return MAX_NOISE_MULTIPLIER;
        }
        if (Double.isNaN(low)) {
            low = Math.max(MIN_NOISE_MULTIPLIER, high / 1.5);
            epsLow = curve.at(low);
            while (epsLow <= target) {
                if (low <= MIN_NOISE_MULTIPLIER) {
                    return MIN_NOISE_MULTIPLIER;
                }
                high = low;
                epsHigh = epsLow;
                low = Math.max(MIN_NOISE_MULTIPLIER, low / 2);
                epsLow = curve.at(low);
            }
        }
        // Illinois method on f(log sigma) = log eps - log target, falling back to bisection.
        double fLow = Math.log(epsLow / target);
        double fHigh = epsHigh > 0 ? Math.log(epsHigh / target) : -1e3;
        int side = 0;
        while (high / low > 1 + tolerance) {
            double logLow = Math.log(low);
            double logHigh = Math.log(high);
            double logMid = Double.isFinite(fLow) && Double.isFinite(fHigh)
                    ? logLow - fLow * (logHigh - logLow) / (fHigh - fLow)
                    : (logLow + logHigh) / 2;
            // Keep the probe well inside the bracket so the bracket always shrinks.
            double margin = 0.1 * (logHigh - logLow);
            logMid = Math.min(logHigh - margin, Math.max(logLow + margin, logMid));
            double mid = Math.exp(logMid);
            double epsMid = curve.at(mid);
            double fMid = epsMid > 0 ? Math.log(epsMid / target) : -1e3;
            if (epsMid > target) {
                low = mid;
                fLow = fMid;
                if (side == -1) {
                    fHigh /= 2;
                }
                side = -1;
            } else {
                high = mid;
                fHigh = fMid;
                if (side == 1) {
                    fLow /= 2;
                }
                side = 1;
            }
        }
        return high;
    }

    /** Epsilon of the prior events plus the plan's DP-SGD steps at noise multiplier sigma. */
    static double epsilon(AccountantKind kind, double sigma, double delta, TrainingPlan plan,
            List<PrivacyEvent> priorEvents) {
        PrivacyAccountant accountant = Accountants.newAccountant(kind);
        accountant.composeAll(priorEvents);
        accountant.compose(new PrivacyEvent.PoissonGaussian(plan.sampleRate(), sigma, plan.steps()));
        return accountant.epsilon(delta);
    }

    @FunctionalInterface
    private interface EpsilonCurve {
        double at(double sigma);
    }
}
