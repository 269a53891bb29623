package org.dplstm.privacy;

import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.special.Erf;

/**
 * Independent (epsilon, delta) references written from the formulas, for tests only: the exact
 * Gaussian mechanism (Balle and Wang 2018, Thm 8) and the exact hockey-stick divergence of the
 * Poisson-subsampled Gaussian for one and two steps (closed form inner integrals).
 */
public final class ExactReferences {

    private ExactReferences() {}

    /** Standard normal survival function P(Z > z). */
    public static double survival(double z) {
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }

    /** delta(eps) = Phi(1/(2 sigma) - eps sigma) - e^eps Phi(-1/(2 sigma) - eps sigma). */
    public static double gaussianDelta(double sigma, double epsilon) {
        // e^eps overflows for large eps while the tail underflows: multiply in log space.
        double logTail = Math.log(0.5) + LogSpace.logErfc((epsilon * sigma + 1 / (2 * sigma)) / Math.sqrt(2));
        return survival(epsilon * sigma - 1 / (2 * sigma)) - Math.exp(epsilon + logTail);
    }

    /** The epsilon at which gaussianDelta equals delta, by bisection. */
    public static double gaussianEpsilon(double sigma, double delta) {
        return epsilonAt(eps -> gaussianDelta(sigma, eps), delta);
    }

    /**
     * The remove direction's delta(eps) of one Poisson-subsampled Gaussian step, in log space so
     * that it holds for losses of thousands of nats: delta = q P(Z > (x-1)/sigma) - (e^eps - (1-q))
     * P(Z > x/sigma) at the threshold x, where e^eps - (1-q) = q e^((2x-1)/(2 sigma^2)). It is
     * exact for that direction, so a lower bound on the mechanism's delta (the larger of the two
     * directions); for q = 1 it is the Gaussian mechanism's delta.
     */
    public static double subsampledGaussianRemoveDelta(double q, double sigma, double epsilon) {
        double logShifted = epsilon + Math.log1p(-(1 - q) * Math.exp(-epsilon)); // log(e^eps - (1-q))
        double x = sigma * sigma * (logShifted - Math.log(q)) + 0.5;
        double logZeroTail = Math.log(0.5) + LogSpace.logErfc(x / sigma / Math.sqrt(2));
        return q * survival((x - 1) / sigma) - Math.exp(logShifted + logZeroTail);
    }

    /** The epsilon at which the decreasing function delta(eps) equals the target, by bisection. */
    public static double epsilonAt(DoubleUnaryOperator delta, double target) {
        double low = 0;
        double high = 1;
        while (delta.applyAsDouble(high) > target) {
            high *= 2;
        }
        if (delta.applyAsDouble(0) <= target) {
            return 0;
        }
        for (int i = 0; i < 200; i++) {
            double mid = (low + high) / 2;
            if (delta.applyAsDouble(mid) > target) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    /** x where log(mu1(x)/mu0(x)) = ell, mu1 = (1-q)N(0,s^2) + qN(1,s^2), mu0 = N(0,s^2); NaN below log(1-q). */
    static double threshold(double q, double sigma, double ell) {
        double ratio = (Math.exp(ell) - (1 - q)) / q;
        return ratio > 0 ? sigma * sigma * Math.log(ratio) + 0.5 : Double.NEGATIVE_INFINITY;
    }

    /**
     * One step's delta(eps) = max over the two directions of the hockey-stick divergence. The
     * likelihood ratio is monotone in x, so each divergence is a difference of normal tails.
     */
    public static double subsampledGaussianDelta(double q, double sigma, double epsilon) {
        double xRemove = threshold(q, sigma, epsilon);
        double remove = (1 - q) * survival(xRemove / sigma) + q * survival((xRemove - 1) / sigma)
                - Math.exp(epsilon) * survival(xRemove / sigma);
        double xAdd = threshold(q, sigma, -epsilon); // mu0 > e^eps mu1 below it
        double add = xAdd == Double.NEGATIVE_INFINITY ? 0
                : survival(-xAdd / sigma) - Math.exp(epsilon)
                        * ((1 - q) * survival(-xAdd / sigma) + q * survival((1 - xAdd) / sigma));
        return Math.max(remove, add);
    }

    /**
     * Two steps, remove direction: delta = int mu1(x) [P1(y > t(x)) - e^eps (mu0(x)/mu1(x)) P0(y > t(x))] dx
     * with t(x) the threshold at eps - L(x); the add direction likewise. Simpson's rule over x.
     */
    public static double subsampledGaussianDeltaTwoSteps(double q, double sigma, double epsilon) {
        int n = 40_000;
        double low = -12 * sigma;
        double high = 1 + 12 * sigma;
        double h = (high - low) / n;
        double remove = 0;
        double add = 0;
        for (int i = 0; i <= n; i++) {
            double x = low + i * h;
            double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
            double p0 = Math.exp(-0.5 * (x / sigma) * (x / sigma)) / (sigma * Math.sqrt(2 * Math.PI));
            double p1x = Math.exp(-0.5 * ((x - 1) / sigma) * ((x - 1) / sigma)) / (sigma * Math.sqrt(2 * Math.PI));
            double mix = (1 - q) * p0 + q * p1x;
            double lossX = Math.log(mix / p0);
            // remove: pairs with L(x) + L(y) > eps  <=>  y > t
            double t = threshold(q, sigma, epsilon - lossX);
            double mixTail = (1 - q) * survival(t / sigma) + q * survival((t - 1) / sigma);
            double zeroTail = survival(t / sigma);
            remove += w * Math.max(0, mix * mixTail - Math.exp(epsilon) * p0 * zeroTail);
            // add: pairs with L(x) + L(y) < -eps  <=>  y < t'
            double tAdd = threshold(q, sigma, -epsilon - lossX);
            if (tAdd != Double.NEGATIVE_INFINITY) {
                double zeroHead = survival(-tAdd / sigma);
                double mixHead = (1 - q) * zeroHead + q * survival((1 - tAdd) / sigma);
                add += w * Math.max(0, p0 * zeroHead - Math.exp(epsilon) * mix * mixHead);
            }
        }
        return Math.max(remove, add) * h / 3;
    }
}
