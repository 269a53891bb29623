package org.dplstm.privacy.pld;


/**
 * A privacy loss distribution on the grid {k * interval}: probability {@code mass[i]} at loss
 * {@code (offset + i) * interval}, plus {@code infinityMass} at +Infinity (outputs that reveal
 * everything). Every operation here keeps it pessimistic: mass only ever moves to a larger loss
 * (or to infinity), which can only raise delta(epsilon) = infinityMass + E[(1 - e^(eps - L))+].
 * Immutable.
 */
import java.util.function.DoubleUnaryOperator;
import org.dplstm.privacy.HistoryOutOfRangeException;

final class DiscretePld {

    /** How far from 1 the discretised P mass of one step may be (rounding) before it is refused. */
    private static final double MASS_TOLERANCE = 1e-9;

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
            throw new HistoryOutOfRangeException("a loss grid of " + (high - low + 1) + " points");
        }
        int points = (int) (high - low + 1);
        double[] mass = new double[points];
        mass[0] += loss.masses(Double.NEGATIVE_INFINITY, low * interval)[0];
        double infinity = loss.masses(high * interval, Double.POSITIVE_INFINITY)[0];
        double spread = -Math.expm1(-interval); // (y_{i+1} - y_i) / y_{i+1} with y = e^loss
        double[] boundaries = new double[points];
        for (int i = 0; i < points; i++) {
            boundaries[i] = (low + i) * interval;
        }
        double[][] cells = loss.cellMasses(boundaries);
        for (int i = 0; i + 1 < points; i++) {
            double p = cells[0][i];
            if (p <= 0) {
                continue;
            }
            double toUpper = (p - cells[2][i]) / spread; // cells[2][i] = e^boundary * Q mass
            if (!Double.isFinite(toUpper)) {
                throw new HistoryOutOfRangeException("privacy losses near " + boundaries[i]
                        + " nats, where its probabilities do not fit in doubles");
            }
            toUpper = Math.min(p, Math.max(0, toUpper));
            mass[i] += p - toUpper;
            mass[i + 1] += toUpper;
        }
        // Fail closed should P mass ever go missing (a boundary that cannot be represented puts
        // mass in no cell): a distribution with less than all of it could understate epsilon.
        double total = infinity;
        for (double m : mass) {
            total += m;
        }
        if (!(Math.abs(total - 1) <= MASS_TOLERANCE)) {
            throw new HistoryOutOfRangeException("privacy losses up to " + range[1] + " nats, where its probabilities"
                    + " do not fit in doubles (the discretised loss holds " + total + " of the probability)");
        }
        return new DiscretePld(interval, low, mass, infinity);
    }

    /**
     * This distribution composed with itself {@code times} times: the (times)-th power of its
     * discrete Fourier transform (Koskela, Jälkö, Honkela 2020), on a window outside which a
     * Chernoff bound leaves at most {@code tail} of the mass on each side. The cyclic
     * convolution wraps mass from beyond the window into it: mass from above is paid for by
     * adding {@code tail} to the infinity mass, mass from below lands at a larger loss. Either
     * way the result stays pessimistic.
     */
    DiscretePld selfCompose(long times, double tail) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1, was " + times);
        }
        if (times == 1) {
            return trimmed(tail);
        }
        long lastIndex = offset + mass.length - 1;
        long[] window = chernoffWindow(times, tail);
        long windowLow = window[0];
        long windowHigh = window[1];
        // A single step above keepHigh makes the sum exceed the window even if every other step
        // takes its smallest loss, so it can go to infinity; below keepLow it can move up to
        // keepLow, as the sum stays below the window.
        long keepHigh = Math.min(lastIndex, windowHigh - (times - 1) * offset);
        long keepLow = Math.min(keepHigh, Math.max(offset, windowLow - (times - 1) * lastIndex));
        double stepInfinity = infinityMass;
        int size = Fft.sizeFor(Math.max(keepHigh - keepLow + 1, windowHigh - windowLow + 1));
        double[] re = new double[size];
        double[] im = new double[size];
        for (int i = 0; i < mass.length; i++) {
            long index = offset + i;
            if (index > keepHigh) {
                stepInfinity += mass[i];
            } else {
                re[(int) (Math.max(index, keepLow) - keepLow)] += mass[i];
            }
        }
        Fft.forward(re, im);
        for (int k = 0; k < size; k++) {
            // z^times by repeated squaring: about 2 log2(times) complex products.
            double baseRe = re[k];
            double baseIm = im[k];
            double powerRe = 1;
            double powerIm = 0;
            for (long e = times; e > 0; e >>= 1) {
                if ((e & 1) != 0) {
                    double r = powerRe * baseRe - powerIm * baseIm;
                    powerIm = powerRe * baseIm + powerIm * baseRe;
                    powerRe = r;
                }
                double r = baseRe * baseRe - baseIm * baseIm;
                baseIm = 2 * baseRe * baseIm;
                baseRe = r;
            }
            re[k] = powerRe;
            im[k] = powerIm;
        }
        Fft.inverse(re, im);
        double[] composed = new double[size];
        long firstIndex = times * keepLow; // the loss index of re[0] before wrapping
        for (int k = 0; k < size; k++) {
            int slot = (int) Math.floorMod(firstIndex + k - windowLow, (long) size);
            composed[slot] = Math.max(0, re[k]); // round-off leaves tiny negatives
        }
        double composedInfinity = -Math.expm1(times * Math.log1p(-stepInfinity)) + tail;
        return new DiscretePld(interval, windowLow, composed, composedInfinity).trimmed(tail);
    }

    /**
     * {lowest, highest} grid index of the {@code times}-fold sum outside which at most
     * {@code tail} of the mass lies on each side, by the Chernoff bound
     * P(S >= u) <= exp(times * log E[e^(lambda L)] - lambda u), optimised over lambda.
     */
    private long[] chernoffWindow(long times, double tail) {
        double logTail = Math.log(tail);
        double total = 0;
        double mean = 0;
        for (int i = 0; i < mass.length; i++) {
            total += mass[i];
            mean += mass[i] * i;
        }
        mean /= total;
        double variance = 0;
        for (int i = 0; i < mass.length; i++) {
            variance += mass[i] * (i - mean) * (i - mean);
        }
        variance /= total;
        double scale = Math.sqrt(times * variance) + 1; // grid units
        double upper = Math.min(times * (double) (offset + mass.length - 1),
                minimiseOverLogLambda(scale, logTail, l -> (times * logMgf(l) - logTail) / l));
        double lower = Math.max(times * (double) offset,
                -minimiseOverLogLambda(scale, logTail, l -> (times * logMgf(-l) - logTail) / l));
        return new long[] {(long) Math.floor(lower), (long) Math.ceil(upper)};
    }

    /**
     * Golden-section search over log(lambda) around the optimum for a Gaussian sum,
     * sqrt(2 log(1/tail)) / std. The bound is unimodal in log(lambda), and any lambda gives a
     * valid bound, so the search only affects how wide (never how safe) the window is.
     */
    private static double minimiseOverLogLambda(double scale, double logTail, DoubleUnaryOperator bound) {
        double guess = Math.sqrt(-2 * logTail) / scale;
        double a = Math.log(guess / 256);
        double b = Math.log(guess * 64);
        double ratio = (Math.sqrt(5) - 1) / 2;
        double c = b - ratio * (b - a);
        double d = a + ratio * (b - a);
        double fc = bound.applyAsDouble(Math.exp(c));
        double fd = bound.applyAsDouble(Math.exp(d));
        for (int iteration = 0; iteration < 16; iteration++) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = bound.applyAsDouble(Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = bound.applyAsDouble(Math.exp(d));
            }
        }
        return Math.min(fc, fd);
    }

    /** log sum_i mass_i e^(lambda * index_i), in grid units, without overflow. */
    private double logMgf(double lambda) {
        // The largest exponent sits at the last (lambda > 0) or first (lambda < 0) cell with mass.
        int extreme = lambda > 0 ? mass.length - 1 : 0;
        int step = lambda > 0 ? -1 : 1;
        while (mass[extreme] <= 0 && extreme + step >= 0 && extreme + step < mass.length) {
            extreme += step;
        }
        double max = lambda * (offset + extreme);
        double base = lambda * offset - max;
        double sum = 0;
        for (int i = 0; i < mass.length; i++) {
            if (mass[i] > 0) {
                sum += mass[i] * Math.exp(base + lambda * i);
            }
        }
        return max + Math.log(sum);
    }

    /** The composition of two distributions on the same grid, by one FFT convolution. */
    DiscretePld convolve(DiscretePld other, double tail) {
        if (other.interval != interval) {
            throw new IllegalArgumentException("grids differ: " + interval + " vs " + other.interval);
        }
        long length = (long) mass.length + other.mass.length - 1;
        int size = Fft.sizeFor(length);
        double[][] a = new double[2][size];
        System.arraycopy(mass, 0, a[0], 0, mass.length);
        Fft.forward(a[0], a[1]);
        double[][] b = a;
        if (other != this) {
            b = new double[2][size];
            System.arraycopy(other.mass, 0, b[0], 0, other.mass.length);
            Fft.forward(b[0], b[1]);
        }
        for (int k = 0; k < size; k++) {
            double re = a[0][k] * b[0][k] - a[1][k] * b[1][k];
            double im = a[0][k] * b[1][k] + a[1][k] * b[0][k];
            a[0][k] = re;
            a[1][k] = im;
        }
        Fft.inverse(a[0], a[1]);
        double[] composed = new double[(int) length];
        for (int k = 0; k < length; k++) {
            composed[k] = Math.max(0, a[0][k]); // round-off leaves tiny negatives
        }
        double infinity = -Math.expm1(Math.log1p(-infinityMass) + Math.log1p(-other.infinityMass));
        return new DiscretePld(interval, offset + other.offset, composed, infinity).trimmed(tail);
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
