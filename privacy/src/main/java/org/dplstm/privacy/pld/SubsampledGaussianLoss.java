package org.dplstm.privacy.pld;

import org.apache.commons.math3.special.Erf;
import org.dplstm.privacy.LogSpace;

/**
 * The privacy loss of one step of the Poisson-subsampled Gaussian mechanism with sensitivity 1,
 * in one direction of add-or-remove-one neighbouring. With mu0 = N(0, sigma^2) and the mixture
 * mu1 = (1-q) N(0, sigma^2) + q N(1, sigma^2), the loss at output x is
 * L(x) = log(mu1(x)/mu0(x)) = log(1 - q + q exp((2x - 1)/(2 sigma^2))), increasing in x.
 * REMOVE compares P = mu1 against Q = mu0 (loss L under mu1), ADD compares P = mu0 against
 * Q = mu1 (loss -L under mu0). Both directions must be composed and the worse one reported
 * (Zhu, Dong and Wang 2022; Google's dp_accounting does the same).
 */
final class SubsampledGaussianLoss {

    enum Direction { REMOVE, ADD }

    /** Outputs farther than this many sigmas carry mass below 1e-23 (Gaussian tail). */
    static final double TAIL_SIGMAS = 10;
    /**
     * Above this loss (in nats) e^loss and the Q masses, about e^-loss of the P masses, are taken
     * in log space: e^loss overflows a double past 709.78 and the Q masses become subnormal (losing
     * precision) and then zero not far below. Below it the plain products are exact enough and
     * every noise multiplier from 0.1 up stays there, so those results are unchanged.
     */
    static final double LOG_SPACE_LOSS = 600;
    /** From this many sigmas the normal tail is taken from its asymptotic series, in log space. */
    private static final double SERIES_SIGMAS = 30;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    private static final double SQRT2 = Math.sqrt(2);

    private final double q;
    private final double sigma;
    private final Direction direction;
    private final double logOneMinusQ;

    SubsampledGaussianLoss(double sampleRate, double noiseMultiplier, Direction direction) {
        this.q = sampleRate;
        this.sigma = noiseMultiplier;
        this.direction = direction;
        this.logOneMinusQ = sampleRate == 1 ? Double.NEGATIVE_INFINITY : Math.log1p(-sampleRate);
    }

    /** L(x) for the remove direction, evaluated without overflow. */
    double removeLoss(double x) {
        double z = (2 * x - 1) / (2 * sigma * sigma);
        if (q == 1) {
            return z;
        }
        double a = logOneMinusQ;
        double b = Math.log(q) + z;
        return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** The loss of this direction at output x. */
    double loss(double x) {
        return direction == Direction.REMOVE ? removeLoss(x) : -removeLoss(x);
    }

    /** The x at which the remove loss equals ell; -Infinity below its infimum log(1-q). */
    private double removeInverse(double ell) {
        if (q == 1) {
            return sigma * sigma * ell + 0.5;
        }
        if (ell > LOG_SPACE_LOSS) {
            // e^ell would overflow past 709: log(e^ell - (1-q)) = ell + log1p(-(1-q) e^-ell).
            return sigma * sigma * (ell + Math.log1p(-(1 - q) * Math.exp(-ell)) - Math.log(q)) + 0.5;
        }
        double shifted = Math.expm1(ell) + q; // = e^ell - (1 - q)
        if (!(shifted > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        return sigma * sigma * (Math.log(shifted) - Math.log(q)) + 0.5;
    }

    /** Loss values [low, high] outside which P has mass below 1e-23 (or none). */
    double[] lossRange() {
        if (direction == Direction.REMOVE) {
            return new double[] {removeLoss(-TAIL_SIGMAS * sigma), removeLoss(1 + TAIL_SIGMAS * sigma)};
        }
        return new double[] {-removeLoss(TAIL_SIGMAS * sigma), -removeLoss(-TAIL_SIGMAS * sigma)};
    }

    /**
     * {P mass, Q mass} of the set where the loss lies in (low, high]. For REMOVE that is
     * x in (u(low), u(high)]; for ADD it is the remove loss in [-high, -low), i.e.
     * x in [u(-high), u(-low)).
     */
    double[] masses(double low, double high) {
        double[][] cells = cellMasses(new double[] {low, high});
        return new double[] {cells[0][0], cells[1][0]};
    }

    /**
     * {P masses, Q masses, scaled Q masses} of the cells (losses[k], losses[k+1]] for increasing
     * loss boundaries, the scaled Q mass being e^losses[k] times the Q mass (at most the P mass, as
     * the loss exceeds losses[k] on the cell). Each boundary's normal CDFs are computed once and
     * shared by its two cells; differences are taken between tails on the same side of the mean so
     * that small cells keep their precision. Above {@link #LOG_SPACE_LOSS} the scaled Q mass is
     * computed as exp(losses[k] + log Q mass), so it stays finite and accurate where e^loss
     * overflows and the Q mass underflows.
     */
    double[][] cellMasses(double[] losses) {
        int n = losses.length;
        NormalTail[] atZero = new NormalTail[n];
        NormalTail[] atOne = new NormalTail[n];
        for (int k = 0; k < n; k++) {
            double x = direction == Direction.REMOVE ? removeInverse(losses[k]) : removeInverse(-losses[k]);
            atZero[k] = NormalTail.at(x / sigma);
            atOne[k] = NormalTail.at((x - 1) / sigma);
        }
        double[] p = new double[n - 1];
        double[] qMass = new double[n - 1];
        double[] scaledQ = new double[n - 1];
        for (int k = 0; k + 1 < n; k++) {
            // REMOVE: x increases with the loss; ADD: x decreases with it.
            int from = direction == Direction.REMOVE ? k : k + 1;
            int to = direction == Direction.REMOVE ? k + 1 : k;
            double zero = NormalTail.between(atZero[from], atZero[to]);
            double one = NormalTail.between(atOne[from], atOne[to]);
            double mixture = (1 - q) * zero + q * one;
            p[k] = direction == Direction.REMOVE ? mixture : zero;
            qMass[k] = direction == Direction.REMOVE ? zero : mixture;
            if (losses[k] > LOG_SPACE_LOSS) {
                double logZero = NormalTail.logBetween(atZero[from], atZero[to]);
                double logQ = direction == Direction.REMOVE ? logZero
                        : LogSpace.addExp(logOneMinusQ + logZero,
                                Math.log(q) + NormalTail.logBetween(atOne[from], atOne[to]));
                scaledQ[k] = Math.exp(losses[k] + logQ);
            } else {
                scaledQ[k] = Math.exp(losses[k]) * qMass[k];
            }
        }
        return new double[][] {p, qMass, scaledQ};
    }

    /** A standard normal's CDF and survival function at z, each accurate even when tiny. */
    private record NormalTail(double z, double cdf, double survival) {
        static NormalTail at(double z) {
            double nearTail = 0.5 * Erf.erfc(Math.abs(z) / SQRT2); // the smaller of cdf, survival
            return z < 0 ? new NormalTail(z, nearTail, 1 - nearTail) : new NormalTail(z, 1 - nearTail, nearTail);
        }

        /** P(a.z < Z <= b.z). */
        static double between(NormalTail a, NormalTail b) {
            if (!(b.z > a.z)) {
                return 0;
            }
            if (a.z >= 0) {
                return a.survival - b.survival;
            }
            if (b.z <= 0) {
                return b.cdf - a.cdf;
            }
            return 1 - a.cdf - b.survival;
        }

        /**
         * log P(a.z < Z <= b.z), accurate where the probability underflows: for a cell more than
         * {@link #SERIES_SIGMAS} out on one side, the log of its far tail minus
         * log(1 - e^-(difference of the log tails)), the difference taken term by term so that
         * a narrow cell keeps its precision.
         */
        static double logBetween(NormalTail a, NormalTail b) {
            if (!(b.z > a.z)) {
                return Double.NEGATIVE_INFINITY;
            }
            if (a.z >= SERIES_SIGMAS) {
                return logTailBetween(a.z, b.z);
            }
            if (b.z <= -SERIES_SIGMAS) {
                return logTailBetween(-b.z, -a.z);
            }
            return Math.log(between(a, b));
        }

        /** log P(s < Z <= t) for SERIES_SIGMAS <= s < t (t may be +Infinity). */
        private static double logTailBetween(double s, double t) {
            double logS = logSurvival(s);
            if (t == Double.POSITIVE_INFINITY) {
                return logS;
            }
            // log P(Z > t) - log P(Z > s) = -(t-s)(t+s)/2 - log(t/s) + log(series(t)/series(s)) < 0
            double drop = -(t - s) * (t + s) / 2 - Math.log1p((t - s) / s)
                    + Math.log(tailSeries(t) / tailSeries(s));
            return logS + Math.log(-Math.expm1(drop));
        }

        /**
         * log P(Z > z) for z >= SERIES_SIGMAS, from P(Z > z) = phi(z)/z * series(z) (Abramowitz
         * and Stegun 26.2.12).
         */
        private static double logSurvival(double z) {
            return -z * z / 2 - Math.log(z) - HALF_LOG_TWO_PI + Math.log(tailSeries(z));
        }

        /**
         * 1 - 1/z^2 + 3/z^4 - 15/z^6 + ... to the 1/z^12 term, whose successor is below 4e-16
         * from 30 sigmas on.
         */
        private static double tailSeries(double z) {
            double u = 1 / (z * z);
            return 1 - u * (1 - 3 * u * (1 - 5 * u * (1 - 7 * u * (1 - 9 * u * (1 - 11 * u)))));
        }
    }

    /** P(s < Z <= t) for a standard normal Z, from the side that avoids cancellation. */
    static double gaussianMass(double s, double t) {
        if (!(t > s)) {
            return 0;
        }
        if (s >= 0) {
            return 0.5 * (Erf.erfc(s / SQRT2) - Erf.erfc(t / SQRT2));
        }
        if (t <= 0) {
            return 0.5 * (Erf.erfc(-t / SQRT2) - Erf.erfc(-s / SQRT2));
        }
        return 1 - 0.5 * Erf.erfc(-s / SQRT2) - 0.5 * Erf.erfc(t / SQRT2);
    }

    /** Standard deviation of the loss under P, by the trapezoid rule over +-10 sigma. */
    double lossStandardDeviation() {
        int points = 4000;
        double low = -TAIL_SIGMAS * sigma;
        double high = 1 + TAIL_SIGMAS * sigma;
        double step = (high - low) / points;
        double mass = 0;
        double first = 0;
        double second = 0;
        for (int i = 0; i <= points; i++) {
            double x = low + i * step;
            double weight = (i == 0 || i == points) ? 0.5 : 1;
            double normalAtZero = Math.exp(-0.5 * (x / sigma) * (x / sigma));
            double normalAtOne = Math.exp(-0.5 * ((x - 1) / sigma) * ((x - 1) / sigma));
            double density = direction == Direction.REMOVE ? (1 - q) * normalAtZero + q * normalAtOne : normalAtZero;
            double ell = loss(x);
            mass += weight * density;
            first += weight * density * ell;
            second += weight * density * ell * ell;
        }
        double mean = first / mass;
        return Math.sqrt(Math.max(0, second / mass - mean * mean));
    }
}
