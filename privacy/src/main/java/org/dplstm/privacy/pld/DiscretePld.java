package org.dplstm.privacy.pld;

import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * A privacy loss distribution on the grid {k * interval}: probability {@code mass[i]} at loss
 * {@code (offset + i) * interval}, plus {@code infinityMass} at +Infinity (outputs that reveal
 * everything). Every operation here keeps it pessimistic: mass only ever moves to a larger loss
 * (or to infinity), which can only raise delta(epsilon) = infinityMass + E[(1 - e^(eps - L))+].
 * Immutable.
 */
final class DiscretePld {

    private final double interval;
    private final long offset;
    private final double[] mass;
    private final double infinityMass;

    private DiscretePld(double interval, long offset, double[] mass, double infinityMass) {
        this.interval = interval;
        this.offset = offset;
        this.mass = mass;
        this.infinityMass = Math.min(1, infinityMass);
    }

    double infinityMass() {
        return infinityMass;
    }

    long offset() {
        return offset;
    }

    int size() {
        return mass.length;
    }

    double massAt(int i) {
        return mass[i];
    }

    /**
     * "Connect the dots" discretisation (Doroshenko, Ghazi, Kamath, Kumar, Manurangsi 2022). The
     * mass of the loss in each cell (e_i, e_{i+1}] is split between the two grid points so that
     * both its P mass and its Q mass (= P mass weighted by e^-loss) are kept. The hockey-stick
     * curve of the result then equals the true one at every grid point and interpolates it
     * linearly in e^epsilon between them, which lies above the true curve because that curve is
     * convex in e^epsilon: the result dominates the mechanism and composes as such. Mass below
     * the grid moves up to its first point, mass above it goes to infinity.
     */
    static DiscretePld connectTheDots(SubsampledGaussianLoss loss, double interval) {
        double[] range = loss.lossRange();
        long low = (long) Math.floor(range[0] / interval);
        long high = (long) Math.ceil(range[1] / interval);
        if (high - low + 1 > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("loss grid too fine: " + (high - low + 1) + " points");
        }
        int points = (int) (high - low + 1);
        double[] mass = new double[points];
        mass[0] += loss.masses(Double.NEGATIVE_INFINITY, low * interval)[0];
        double infinity = loss.masses(high * interval, Double.POSITIVE_INFINITY)[0];
        double spread = -Math.expm1(-interval); // (y_{i+1} - y_i) / y_{i+1} with y = e^loss
        for (int i = 0; i + 1 < points; i++) {
            double cellLow = (low + i) * interval;
            double[] pq = loss.masses(cellLow, cellLow + interval);
            double p = pq[0];
            if (p <= 0) {
                continue;
            }
            double toUpper = (p - Math.exp(cellLow) * pq[1]) / spread;
            toUpper = Math.min(p, Math.max(0, toUpper));
            mass[i] += p - toUpper;
            mass[i + 1] += toUpper;
        }
        return new DiscretePld(interval, low, mass, infinity);
    }

    /**
     * This distribution composed with itself {@code times} times: the (times)-th power of its
     * discrete Fourier transform (Koskela, Jälkö, Honkela 2020). The result is kept on a window
     * outside which a Chernoff bound leaves at most {@code tail} of the mass on each side; mass
     * beyond the window (wrapped around by the cyclic convolution) is paid for by adding
     * {@code tail} to the infinity mass, and mass below it stays inside the window at a larger
     * loss, so the result stays pessimistic.
     */
    DiscretePld selfCompose(long times, double tail) {
        if (times == 1) {
            return trimmed(tail);
        }
        long lastIndex = offset + mass.length - 1;
        long[] window = chernoffWindow(times, tail);
        long windowLow = window[0];
        long windowHigh = window[1];
        // A single step above this index makes the sum exceed the window even if every other
        // step takes its smallest loss, so it can go to infinity; symmetric for the bottom.
        long keepHigh = Math.min(lastIndex, windowHigh - (times - 1) * offset);
        long keepLow = Math.max(offset, windowLow - (times - 1) * lastIndex);
        if (keepLow > keepHigh) {
            keepLow = keepHigh;
        }
        double stepInfinity = infinityMass;
        double[] kept = new double[(int) (keepHigh - keepLow + 1)];
        for (int i = 0; i < mass.length; i++) {
            long index = offset + i;
            if (index > keepHigh) {
                stepInfinity += mass[i];
            } else {
                kept[(int) (Math.max(index, keepLow) - keepLow)] += mass[i];
            }
        }
        int size = Integer.highestOneBit((int) Math.max(kept.length, windowHigh - windowLow + 1) - 1) << 1;
        size = Math.max(size, 2);
        double[][] data = new double[2][size];
        System.arraycopy(kept, 0, data[0], 0, kept.length);
        FastFourierTransformer.transformInPlace(data, DftNormalization.STANDARD, TransformType.FORWARD);
        for (int k = 0; k < size; k++) {
            double re = data[0][k];
            double im = data[1][k];
            double modulus = Math.hypot(re, im);
            if (modulus == 0) {
                continue;
            }
            double powered = Math.exp(times * Math.log(modulus));
            double angle = times * Math.atan2(im, re);
            data[0][k] = powered * Math.cos(angle);
            data[1][k] = powered * Math.sin(angle);
        }
        FastFourierTransformer.transformInPlace(data, DftNormalization.STANDARD, TransformType.INVERSE);
        double[] composed = new double[size];
        long firstIndex = times * keepLow; // index of data[0][0] before wrapping
        for (int k = 0; k < size; k++) {
            int slot = (int) Math.floorMod(firstIndex + k - windowLow, (long) size);
            composed[slot] = Math.max(0, data[0][k]); // round-off can leave tiny negatives
        }
        double composedInfinity = -Math.expm1(times * Math.log1p(-stepInfinity)) + tail;
        return new DiscretePld(interval, windowLow, composed, composedInfinity).trimmed(tail);
    }

    /** The composition of two distributions on the same grid, by one FFT convolution. */
    DiscretePld convolve(DiscretePld other, double tail) {
        if (other.interval != interval) {
            throw new IllegalArgumentException("grids differ: " + interval + " vs " + other.interval);
        }
        int length = mass.length + other.mass.length - 1;
        int size = Math.max(2, Integer.highestOneBit(length - 1) << 1);
        double[][] a = new double[2][size];
        double[][] b = new double[2][size];
        System.arraycopy(mass, 0, a[0], 0, mass.length);
        System.arraycopy(other.mass, 0, b[0], 0, other.mass.length);
        FastFourierTransformer.transformInPlace(a, DftNormalization.STANDARD, TransformType.FORWARD);
        FastFourierTransformer.transformInPlace(b, DftNormalization.STANDARD, TransformType.FORWARD);
        for (int k = 0; k < size; k++) {
            double re = a[0][k] * b[0][k] - a[1][k] * b[1][k];
            double im = a[0][k] * b[1][k] + a[1][k] * b[0][k];
            a[0][k] = re;
            a[1][k] = im;
        }
        FastFourierTransformer.transformInPlace(a, DftNormalization.STANDARD, TransformType.INVERSE);
        double[] composed = new double[length];
        for (int k = 0; k < length; k++) {
            composed[k] = Math.max(0, a[0][k]);
        }
        double infinity = 1 - (1 - infinityMass) * (1 - other.infinityMass);
        return new DiscretePld(interval, offset + other.offset, composed, infinity).trimmed(tail);
    }

    /**
     * {lowest, highest} grid index of the {@code times}-fold sum outside which at most
     * {@code tail} of the mass lies on each side, by the Chernoff bound
     * P(S >= u) <= exp(times * log E[e^(lambda L)] - lambda u), optimised over lambda on a grid.
     */
    private long[] chernoffWindow(long times, double tail) {
        double logTail = Math.log(tail);
        double mean = 0;
        double total = 0;
        for (int i = 0; i < mass.length; i++) {
            total += mass[i];
            mean += mass[i] * (offset + i);
        }
        mean /= total;
        double variance = 0;
        for (int i = 0; i < mass.length; i++) {
            double d = offset + i - mean;
            variance += mass[i] * d * d;
        }
        variance /= total;
        double scale = Math.sqrt(times * variance) + 1; // grid units
        long lastIndex = offset + mass.length - 1;
        double upper = times * (double) lastIndex;
        double lower = times * (double) offset;
        for (int k = -16; k <= 48; k++) {
            double lambda = Math.pow(2, k / 2.0) / scale;
            double up = (times * logMgf(lambda) - logTail) / lambda;
            double down = (logTail - times * logMgf(-lambda)) / lambda;
            upper = Math.min(upper, up);
            lower = Math.max(lower, down);
        }
        return new long[] {(long) Math.floor(lower), (long) Math.ceil(upper)};
    }

    /** log sum_i mass_i e^(lambda * index_i), in grid units, without overflow. */
    private double logMgf(double lambda) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < mass.length; i++) {
            if (mass[i] > 0) {
                max = Math.max(max, lambda * (offset + i));
            }
        }
        double sum = 0;
        for (int i = 0; i < mass.length; i++) {
            if (mass[i] > 0) {
                sum += mass[i] * Math.exp(lambda * (offset + i) - max);
            }
        }
        return max + Math.log(sum);
    }

    /** Moves the lowest cells holding at most {@code tail} up, the highest such cells to infinity. */
    private DiscretePld trimmed(double tail) {
        int first = 0;
        double below = 0;
        while (first < mass.length - 1 && below + mass[first] <= tail) {
            below += mass[first++];
        }
        int last = mass.length - 1;
        double above = 0;
        while (last > first && above + mass[last] <= tail) {
            above += mass[last--];
        }
        if (first == 0 && last == mass.length - 1) {
            return this;
        }
        double[] kept = java.util.Arrays.copyOfRange(mass, first, last + 1);
        kept[0] += below;
        return new DiscretePld(interval, offset + first, kept, infinityMass + above);
    }

    /** delta(eps) = infinityMass + sum over losses above eps of mass * (1 - e^(eps - loss)). */
    double delta(double epsilon) {
        double sum = infinityMass;
        for (int i = mass.length - 1; i >= 0; i--) {
            double loss = (offset + i) * interval;
            if (loss <= epsilon) {
                break;
            }
            sum += mass[i] * -Math.expm1(epsilon - loss);
        }
        return Math.min(1, sum);
    }

    /**
     * The smallest epsilon with delta(epsilon) <= target: scans the grid from the top, keeping
     * A = sum of mass above and B = sum of mass * e^(e_i - loss) above, so that
     * delta(e) = infinityMass + A - B e^(e - e_i) on each cell, then solves inside the cell.
     * +Infinity when the infinity mass alone exceeds the target.
     */
    double epsilon(double target) {
        if (infinityMass >= target) {
            return Double.POSITIVE_INFINITY;
        }
        double decay = Math.exp(-interval);
        double above = 0; // A at the current grid point
        double weighted = 0; // B at the current grid point
        for (int i = mass.length - 1; i >= 0; i--) {
            // Move from point i+1 down to point i: the mass at i+1 joins the sums.
            if (i + 1 < mass.length) {
                above += mass[i + 1];
                weighted = (weighted + mass[i + 1]) * decay;
            }
            double deltaHere = infinityMass + above - weighted;
            if (deltaHere >= target) {
                // delta(e_i + t) = infinityMass + above - weighted * e^t for t in [0, interval).
                double t = Math.log((infinityMass + above - target) / weighted);
                return (offset + i) * interval + Math.max(0, Math.min(interval, t));
            }
        }
        // delta stays below the target down to the bottom of the grid: that point bounds epsilon.
        return offset * interval;
    }
}
