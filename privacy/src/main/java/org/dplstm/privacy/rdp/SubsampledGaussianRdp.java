package org.dplstm.privacy.rdp;

import org.dplstm.privacy.LogSpace;

/**
 * Rényi divergence of one step of the Poisson-subsampled Gaussian mechanism (Mironov, Talwar and
 * Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism"): RDP(alpha) =
 * log(A_alpha) / (alpha - 1), where A_alpha = E_{x ~ N(0, sigma^2)}[((1-q) + q e^{(2x-1)/(2 sigma^2)})^alpha].
 * Integer orders use the exact binomial expansion (their §3.2), fractional orders the two
 * convergent series (§3.3); all terms stay in log space. That paper shows this bounds both the
 * add and the remove direction.
 */
final class SubsampledGaussianRdp {

    /** Stop a series once its terms fall below e^-36 relative to the sum (A_alpha >= 1). */
    private static final double NEGLIGIBLE_LOG_TERM = -36;
    private static final int MAX_SERIES_TERMS = 20_000;

    private SubsampledGaussianRdp() {}

    /** RDP at {@code order} (> 1) of one step; +Infinity when it cannot be bounded numerically. */
    static double rdp(double sampleRate, double noiseMultiplier, double order) {
        if (sampleRate == 1) {
            return order / (2 * noiseMultiplier * noiseMultiplier); // the Gaussian mechanism
        }
        double logA;
        try {
            logA = order == Math.rint(order) && order < 1e6
                    ? logAInteger(sampleRate, noiseMultiplier, (long) order)
                    : logAFractional(sampleRate, noiseMultiplier, order);
        } catch (ArithmeticException e) {
            return Double.POSITIVE_INFINITY; // dropping an order only loosens the bound
        }
        // A_alpha >= 1 in exact arithmetic; clamp the rounding of an almost-zero divergence.
        return Math.max(0, logA) / (order - 1);
    }

    /** log A_alpha = log sum_k C(alpha,k) q^k (1-q)^(alpha-k) exp((k^2 - k)/(2 sigma^2)). */
    private static double logAInteger(double q, double sigma, long alpha) {
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double twoVariance = 2 * sigma * sigma;
        double logA = Double.NEGATIVE_INFINITY;
        double logBinomial = 0; // log C(alpha, 0)
        for (long k = 0; k <= alpha; k++) {
            double term = logBinomial + k * logQ + (alpha - k) * logOneMinusQ + (k * (double) k - k) / twoVariance;
            logA = LogSpace.addExp(logA, term);
            logBinomial += Math.log(alpha - k) - Math.log(k + 1.0);
        }
        return logA;
    }

    /**
     * The two series of Mironov et al. §3.3 for fractional alpha: split the integral at
     * z0 = sigma^2 log(1/q - 1) + 1/2 and expand each part binomially. Beyond k > alpha the
     * binomial coefficients alternate in sign and the terms shrink, so truncating after a
     * negligible term is safe; a series that has not converged after MAX_SERIES_TERMS adds the
     * size of its last term, which bounds the rest of an alternating series.
     */
    private static double logAFractional(double q, double sigma, double alpha) {
        double logQ = Math.log(q);
        double logOneMinusQ = Math.log1p(-q);
        double twoVariance = 2 * sigma * sigma;
        double z0 = sigma * sigma * (Math.log1p(-q) - logQ) + 0.5;
        double erfcScale = Math.sqrt(2) * sigma;
        double logHalf = Math.log(0.5);

        double logPositive0 = Double.NEGATIVE_INFINITY;
        double logNegative0 = Double.NEGATIVE_INFINITY;
        double logPositive1 = Double.NEGATIVE_INFINITY;
        double logNegative1 = Double.NEGATIVE_INFINITY;
        double logAbsBinomial = 0; // log |C(alpha, 0)|
        boolean binomialPositive = true;
        double lastLogTerm = 0;
        for (int i = 0; ; i++) {
            double j = alpha - i;
            double logT0 = logAbsBinomial + i * logQ + j * logOneMinusQ;
            double logT1 = logAbsBinomial + j * logQ + i * logOneMinusQ;
            double logE0 = logHalf + LogSpace.logErfc((i - z0) / erfcScale);
            double logE1 = logHalf + LogSpace.logErfc((z0 - j) / erfcScale);
            double logS0 = logT0 + (i * (double) i - i) / twoVariance + logE0;
            double logS1 = logT1 + (j * j - j) / twoVariance + logE1;
            if (binomialPositive) {
                logPositive0 = LogSpace.addExp(logPositive0, logS0);
                logPositive1 = LogSpace.addExp(logPositive1, logS1);
            } else {
                logNegative0 = LogSpace.addExp(logNegative0, logS0);
                logNegative1 = LogSpace.addExp(logNegative1, logS1);
            }
            lastLogTerm = Math.max(logS0, logS1);
            double logSoFar = Math.max(Math.max(logPositive0, logPositive1), 0);
            if (i > alpha && lastLogTerm < logSoFar + NEGLIGIBLE_LOG_TERM) {
                break;
            }
            if (i >= MAX_SERIES_TERMS) {
                logPositive0 = LogSpace.addExp(logPositive0, lastLogTerm + Math.log(2));
                break;
            }
            // C(alpha, i+1) = C(alpha, i) (alpha - i) / (i + 1): the sign flips once i > alpha.
            double factor = (alpha - i) / (i + 1.0);
            if (factor < 0) {
                binomialPositive = !binomialPositive;
            }
            logAbsBinomial += Math.log(Math.abs(factor));
        }
        double logA0 = LogSpace.subExp(logPositive0, logNegative0);
        double logA1 = LogSpace.subExp(logPositive1, logNegative1);
        return LogSpace.addExp(logA0, logA1);
    }
}
