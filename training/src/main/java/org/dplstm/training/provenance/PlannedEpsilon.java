package org.dplstm.training.provenance;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import org.dplstm.training.dpsgd.PrivacyPlan;

/**
 * The ε a private run plans to spend, which must be positive: a noise multiplier so large that the
 * accountant's ε is 0 (to its precision) gives a guarantee no ledger or report can state, and the
 * user is told which noise multipliers plan a positive ε instead.
 */
final class PlannedEpsilon {

    /** Bisection steps for the largest usable σ: far finer than the two digits it is stated with. */
    private static final int STEPS = 40;

    private PlannedEpsilon() {}

    /**
     * The planned ε of {@code plan}; bad input when it is 0.
     *
     * @param sigmaGiven the noise multiplier is the user's --noise-multiplier (not calibrated for --epsilon)
     */
    static double of(PrivacyPlan plan, boolean sigmaGiven) {
        double epsilon = at(plan, plan.noiseMultiplier());
        if (epsilon > 0) {
            return epsilon;
        }
        String sigma = (sigmaGiven ? "--noise-multiplier " : "noise multiplier (calibrated for --epsilon) ")
                + plan.noiseMultiplier();
        double largest = largestWithPositiveEpsilon(plan);
        String advice = Double.isNaN(largest) ? "give a smaller --noise-multiplier"
                : "give --noise-multiplier in (0, " + plain(largest) + "] for this plan";
        throw new IllegalArgumentException(sigma + " is so large that the run's planned epsilon ("
                + plan.plannedSteps() + " steps at sample rate " + String.format(Locale.ROOT, "%.5g", plan.sampleRate())
                + ", " + plan.accountant().id() + " accountant, delta " + plan.delta() + ") is 0 to the accountant's"
                + " precision, a guarantee no ledger or report can state; " + advice + ", or a target with --epsilon");
    }

    private static double at(PrivacyPlan plan, double sigma) {
        PrivacyPlan other = plan.withNoiseMultiplier(sigma);
        return AuditTrail.epsilonOf(other.accountant(), AuditTrail.plannedEvents(other), other.delta());
    }

    /**
     * The largest noise multiplier, to two significant digits and rounded down, whose ε for the
     * plan is positive (found by bisection in log σ between 1 and the plan's σ), or NaN when even
     * σ = 1 plans ε = 0.
     */
    private static double largestWithPositiveEpsilon(PrivacyPlan plan) {
        double low = 1;
        double high = plan.noiseMultiplier();
        if (!(high > low) || !(at(plan, low) > 0)) {
            return Double.NaN;
        }
        for (int i = 0; i < STEPS && high / low > 1.001; i++) {
            double middle = Math.sqrt(low * high);
            if (at(plan, middle) > 0) {
                low = middle;
            } else {
                high = middle;
            }
        }
        double unit = Math.pow(10, Math.floor(Math.log10(low)) - 1);
        return Math.floor(low / unit) * unit;
    }

    /** Two significant digits without an exponent or trailing zeros (9400, 0.35). */
    private static String plain(double value) {
        return new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
