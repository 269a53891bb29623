package org.dplstm.audit.empirical;

import java.util.Arrays;

/**
 * Metrics of a threshold membership-inference attack. Scores are "higher means member"; from
 * losses use {@link #fromLosses}, which negates them (Yeom et al. 2018's loss attack).
 */
public final class MembershipInference {

    private MembershipInference() {}

    /** AUC and TPR at false-positive rates 0.001 and 0.01 of the loss attack. */
    public record Result(double auc, double tprAtFpr001, double tprAtFpr01) {}

    public static Result fromLosses(double[] memberLosses, double[] nonMemberLosses) {
        double[] members = Arrays.stream(memberLosses).map(l -> -l).toArray();
        double[] nonMembers = Arrays.stream(nonMemberLosses).map(l -> -l).toArray();
        return new Result(auc(members, nonMembers), tprAtFpr(members, nonMembers, 0.001), tprAtFpr(members, nonMembers, 0.01));
    }

    /**
     * Area under the ROC curve = P(member score > non-member score) + ½ P(equal) (Mann-Whitney U
     * / (n_m n_n)), computed by sorting in O(n log n).
     */
    public static double auc(double[] memberScores, double[] nonMemberScores) {
        requireNonEmpty(memberScores, nonMemberScores);
        double[] sortedNon = nonMemberScores.clone();
        Arrays.sort(sortedNon);
        double wins = 0;
        for (double score : memberScores) {
            int below = lowerBound(sortedNon, score);
            int notAbove = upperBound(sortedNon, score);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) memberScores.length * nonMemberScores.length);
    }

    /**
     * Highest true-positive rate of "member if score > τ" over thresholds whose false-positive
     * rate is at most {@code fpr}. With fewer than 1/fpr non-members no false positive is
     * allowed at all, so the figure is then the TPR at FPR 0 (a conservative reading).
     */
    public static double tprAtFpr(double[] memberScores, double[] nonMemberScores, double fpr) {
        requireNonEmpty(memberScores, nonMemberScores);
        if (!(fpr >= 0 && fpr <= 1)) {
            throw new IllegalArgumentException("false positive rate must be in [0, 1], was " + fpr);
        }
        double[] sortedNon = nonMemberScores.clone();
        Arrays.sort(sortedNon);
        int allowed = (int) Math.floor(fpr * sortedNon.length + 1e-9);
        if (allowed >= sortedNon.length) {
            return 1.0;
        }
        // τ = the (allowed+1)-th largest non-member score: at most `allowed` non-members exceed it.
        double threshold = sortedNon[sortedNon.length - 1 - allowed];
        long truePositives = Arrays.stream(memberScores).filter(s -> s > threshold).count();
        return truePositives / (double) memberScores.length;
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void requireNonEmpty(double[] members, double[] nonMembers) {
        if (members.length == 0 || nonMembers.length == 0) {
            throw new IllegalArgumentException("member and non-member scores must not be empty, were "
                    + members.length + " and " + nonMembers.length);
        }
    }
}
