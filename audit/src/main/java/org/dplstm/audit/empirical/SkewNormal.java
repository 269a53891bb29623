package org.dplstm.audit.empirical;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.util.FastMath;

/**
 * The skew-normal distribution (Azzalini 1985): density 2/ω φ(z) Φ(αz), z = (x−ξ)/ω. Carlini et
 * al. 2019 (§4.3) fit it to the scores of random candidates to extrapolate a canary's rank.
 *
 * @param location ξ
 * @param scale ω > 0
 * @param shape α (0 gives the normal distribution)
 */
public record SkewNormal(double location, double scale, double shape) {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);
    /** Method-of-moments skewness must stay below the family's maximum (≈ 0.9953). */
    private static final double MAX_SKEWNESS = 0.99;

    public SkewNormal {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be > 0, was " + scale);
        }
    }

    /** Method-of-moments fit from the sample mean, standard deviation and skewness. */
    public static SkewNormal fit(double[] sample) {
        if (sample.length < 3) {
            throw new IllegalArgumentException("sample size must be >= 3, was " + sample.length);
        }
        double n = sample.length;
        double mean = 0;
        for (double x : sample) {
            mean += x;
        }
        mean /= n;
        double m2 = 0;
        double m3 = 0;
        for (double x : sample) {
            double d = x - mean;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= n;
        m3 /= n;
        if (!(m2 > 0)) {
            throw new IllegalArgumentException("sample must not be constant");
        }
        double skewness = m3 / Math.pow(m2, 1.5);
        skewness = Math.max(-MAX_SKEWNESS, Math.min(MAX_SKEWNESS, skewness));
        double g = Math.pow(Math.abs(skewness), 2.0 / 3.0);
        double absDelta = Math.sqrt((Math.PI / 2) * g / (g + Math.pow((4 - Math.PI) / 2, 2.0 / 3.0)));
        double delta = Math.copySign(absDelta, skewness);
        double shape = delta / Math.sqrt(1 - delta * delta);
        double scale = Math.sqrt(m2 / (1 - 2 * delta * delta / Math.PI));
        double location = mean - scale * delta * Math.sqrt(2 / Math.PI);
        return new SkewNormal(location, scale, shape);
    }

    /** P(X ≤ x) = Φ(z) − 2 T(z, α) (Owen's T). */
    public double cumulativeProbability(double x) {
        double z = (x - location) / scale;
        double p = STANDARD_NORMAL.cumulativeProbability(z) - 2 * owensT(z, shape);
        return Math.max(0.0, Math.min(1.0, p));
    }

    /**
     * Owen's T function T(h, a) = 1/(2π) ∫_0^a exp(−h²(1+x²)/2) / (1+x²) dx, by composite
     * Simpson's rule (the integrand is smooth and bounded on [0, a]).
     */
    static double owensT(double h, double a) {
        if (a == 0) {
            return 0;
        }
        if (a < 0) {
            return -owensT(h, -a);
        }
        int intervals = 2000;
        double width = a / intervals;
        double sum = 0;
        for (int i = 0; i <= intervals; i++) {
            double x = i * width;
            double f = FastMath.exp(-h * h * (1 + x * x) / 2) / (1 + x * x);
            double weight = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += weight * f;
        }
        return sum * width / 3 / (2 * Math.PI);
    }
}
