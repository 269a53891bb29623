package org.dplstm.spark;

import java.io.Serializable;

/**
 * A running sum of flat clipped-gradient arrays in double precision, as treeAggregate carries it:
 * null values mean zero (the zero element is shipped with every task, so it holds no array).
 */
record GradientSum(double[] values) implements Serializable {

    private static final long serialVersionUID = 1L;
    static final GradientSum ZERO = new GradientSum(null);

    /** Adds one partition's float sum. */
    GradientSum plus(float[] part) {
        double[] sum = values != null ? values : new double[part.length];
        for (int i = 0; i < part.length; i++) {
            sum[i] += part[i];
        }
        return new GradientSum(sum);
    }

    /** Adds another running sum (either may be zero). */
    GradientSum plus(GradientSum other) {
        if (other.values == null) {
            return this;
        }
        if (values == null) {
            return other;
        }
        double[] sum = values.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.values[i];
        }
        return new GradientSum(sum);
    }
}
