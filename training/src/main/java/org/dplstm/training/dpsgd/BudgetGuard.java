package org.dplstm.training.dpsgd;

import java.util.List;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;

/**
 * Refuses a DP-SGD step that would take the run's ε above its cap. ε grows monotonically with the
 * number of steps, so "the next step keeps ε ≤ cap" is the same as "steps so far < the largest
 * count k with ε(history + k steps) ≤ cap"; that k is found once (a few accountant evaluations,
 * bisection) instead of re-running the accountant before every step.
 */
public final class BudgetGuard {

    /** Calibration brackets ε to within bisection precision: allow this relative slack. */
    static final double CALIBRATION_TOLERANCE = 1e-6;

    private final long allowedSteps;
    private long taken;

    private BudgetGuard(long allowedSteps) {
        this.allowedSteps = allowedSteps;
    }

    static BudgetGuard unlimited() {
        return new BudgetGuard(Long.MAX_VALUE);
    }

    /**
     * @param history the accountant's events so far (prior mechanisms and steps already taken)
     * @param wantedSteps the steps still planned: the search never looks beyond them
     */
    public static BudgetGuard forPlan(PrivacyPlan plan, List<PrivacyEvent> history, long wantedSteps) {
        if (!plan.isPrivate() || !plan.hasEpsilonCap()) {
            return unlimited();
        }
        double cap = plan.epsilonCap() * (1 + CALIBRATION_TOLERANCE);
        if (epsilonAfter(plan, history, wantedSteps) <= cap) {
            return new BudgetGuard(wantedSteps);
        }
        long lo = 0; // epsilonAfter(lo) <= cap, or lo == 0
        long hi = wantedSteps; // epsilonAfter(hi) > cap
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (epsilonAfter(plan, history, mid) <= cap) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return new BudgetGuard(lo);
    }

    private static double epsilonAfter(PrivacyPlan plan, List<PrivacyEvent> history, long steps) {
        PrivacyAccountant accountant = Accountants.newAccountant(plan.accountant());
        history.forEach(accountant::compose);
        if (steps > 0) {
            accountant.compose(plan.stepEvent(steps));
        }
        return accountant.epsilon(plan.delta());
    }

    /** Whether one more step stays within the budget; counts it when it does. */
    public boolean tryTakeStep() {
        if (taken >= allowedSteps) {
            return false;
        }
        taken++;
        return true;
    }

    long allowedSteps() {
        return allowedSteps;
    }
}
