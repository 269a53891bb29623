package org.dplstm.privacy;

import org.apache.commons.math3.special.Erf;

/** Arithmetic on logarithms, so that tiny probabilities and huge moments neither underflow nor overflow. */
public final class LogSpace {

    private static final double HALF_LOG_PI = 0.5 * Math.log(Math.PI);

    private LogSpace() {}

    /** log(e^a + e^b). */
    public static double addExp(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log1p(Math.exp(-Math.abs(a - b)));
    }

    /** log(e^a - e^b) for a >= b; -Infinity when they are equal. */
    public static double subExp(double a, double b) {
        if (b > a) {
            throw new ArithmeticException("log-space subtraction would go negative: " + a + " < " + b);
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        if (a == b) {
            return Double.NEGATIVE_INFINITY;
        }
        return a + Math.log(-Math.expm1(b - a));
    }

    /**
     * log(erfc(x)), accurate far into the tail where erfc underflows: beyond x = 20 it uses the
     * asymptotic series erfc(x) = e^(-x^2) / (x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4) - ...)
     * (Abramowitz and Stegun 7.1.23), whose truncation error there is below 1e-12.
     */
    public static double logErfc(double x) {
        if (x < 20) {
            return Math.log(Erf.erfc(x));
        }
        double inv2 = 1 / (x * x);
        double series = 1 - inv2 / 2 * (1 - 1.5 * inv2 * (1 - 2.5 * inv2 * (1 - 3.5 * inv2)));
        return -x * x - Math.log(x) - HALF_LOG_PI + Math.log(series);
    }
}
