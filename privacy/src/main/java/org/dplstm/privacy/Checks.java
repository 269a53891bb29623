package org.dplstm.privacy;

/**
 * Argument checks shared by every module. Each failure is an {@link IllegalArgumentException}
 * whose message names the parameter, the allowed range and the value, e.g. {@code "delta must be
 * in (0, 1), was 2.0"}. Each check returns its argument so it can be used inline.
 */
public final class Checks {

    private Checks() {}

    /** x > 0 (NaN fails). */
    public static double positive(String name, double value) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
        return value;
    }

    /** x > 0. */
    public static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
        return value;
    }

    /** x >= 0 (NaN fails). */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }

    /** 0 < x < 1. */
    public static double openUnitInterval(String name, double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), was " + value);
        }
        return value;
    }

    /**
     * The smallest delta a plan may target. The PLD accountant moves up to 1e-18 of mass per
     * truncation and its FFT carries rounding near 1e-15, so below about 1e-12 its epsilon grows
     * without bound (infinite at 1e-300) and calibration fails; 1e-12 is far below any useful
     * delta (1/N for a billion records is 1e-9).
     */
    public static final double MIN_DELTA = 1e-12;

    /** A target delta: in (0, 1) and at least {@link #MIN_DELTA}. */
    public static double delta(String name, double value) {
        openUnitInterval(name, value);
        if (value < MIN_DELTA) {
            throw new IllegalArgumentException(name + " must be in [" + MIN_DELTA + ", 1), was " + value
                    + ": smaller deltas are below the accountants' floating-point resolution");
        }
        return value;
    }

    /** 0 < x <= 1. */
    public static double halfOpenUnitInterval(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1], was " + value);
        }
        return value;
    }

    /** lo <= x <= hi (NaN fails). */
    public static double inRange(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(
                    name + " must be in [" + lo + ", " + hi + "], was " + value);
        }
        return value;
    }

    /** value >= min. */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
        return value;
    }

    /** Neither NaN nor infinite. */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + value);
        }
        return value;
    }
}
