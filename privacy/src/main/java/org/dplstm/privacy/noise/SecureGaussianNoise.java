package org.dplstm.privacy.noise;

import org.dplstm.privacy.Checks;

/**
 * Gaussian noise from a cryptographically secure source: the AES-CTR keystream of {@link
 * AesCtrRandomBits} turned into standard normals in bulk by the ziggurat method (Marsaglia and
 * Tsang 2000, in Doornik's 2005 ZIGNOR form, which takes the strip index and the uniform from
 * disjoint bits). About one 64-bit word per draw, so a 400k-parameter step costs a few ms.
 * Thread-safe (draws are serialised).
 */
public final class SecureGaussianNoise implements GaussianNoise {

    private static final int LAYERS = 128;
    /** Start of the tail and area of each strip for 128 strips (Marsaglia and Tsang 2000). */
    private static final double R = 3.442619855899;
    private static final double V = 9.91256303526217e-3;
    private static final double[] X = new double[LAYERS + 1];
    private static final double[] RATIO = new double[LAYERS];
    private static final double UNIT = 0x1.0p-53;

    static {
        X[0] = V / Math.exp(-0.5 * R * R);
        X[1] = R;
        for (int i = 2; i < LAYERS; i++) {
            X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + Math.exp(-0.5 * X[i - 1] * X[i - 1])));
        }
        X[LAYERS] = 0;
        for (int i = 0; i < LAYERS; i++) {
            RATIO[i] = X[i + 1] / X[i];
        }
    }

    private final AesCtrRandomBits bits;

    private SecureGaussianNoise(AesCtrRandomBits bits) {
        this.bits = bits;
    }

    /** Keyed from {@link java.security.SecureRandom}: the only factory production code uses. */
    public static SecureGaussianNoise create() {
        return new SecureGaussianNoise(AesCtrRandomBits.create());
    }

    /** Test-only: reproducible noise. Never use it for a private release. */
    public static SecureGaussianNoise seededForTesting(long seed) {
        return new SecureGaussianNoise(AesCtrRandomBits.seededForTesting(seed));
    }

    @Override
    public synchronized void addTo(float[] values, double stddev) {
        checkStddev(stddev);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] + stddev * nextStandardNormal());
        }
    }

    @Override
    public synchronized void addTo(double[] values, double stddev) {
        checkStddev(stddev);
        for (int i = 0; i < values.length; i++) {
            values[i] += stddev * nextStandardNormal();
        }
    }

    /** Fills {@code out} with independent standard normal draws. */
    public synchronized void fillStandardNormal(double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = nextStandardNormal();
        }
    }

    private static void checkStddev(double stddev) {
        Checks.nonNegative("noise stddev", stddev);
        Checks.finite("noise stddev", stddev);
    }

    private double nextStandardNormal() {
        while (true) {
            long word = bits.nextLong();
            int layer = (int) (word & (LAYERS - 1));
            double u = 2 * ((word >>> 11) * UNIT) - 1;
            if (Math.abs(u) < RATIO[layer]) {
                return u * X[layer];
            }
            if (layer == 0) {
                return tail(u < 0);
            }
            double x = u * X[layer];
            double f0 = Math.exp(-0.5 * (X[layer] * X[layer] - x * x));
            double f1 = Math.exp(-0.5 * (X[layer + 1] * X[layer + 1] - x * x));
            if (f1 + bits.nextDouble() * (f0 - f1) < 1.0) {
                return x;
            }
        }
    }

    /** Marsaglia's (1964) exact sampler for the normal tail beyond R. */
    private double tail(boolean negative) {
        double x;
        double y;
        do {
            x = -Math.log(bits.nextDoubleOpenAtZero()) / R;
            y = -Math.log(bits.nextDoubleOpenAtZero());
        } while (y + y < x * x);
        return negative ? -(R + x) : R + x;
    }
}
