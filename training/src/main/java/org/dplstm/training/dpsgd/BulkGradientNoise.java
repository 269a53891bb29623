package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;
import org.dplstm.privacy.noise.GaussianNoise;
import org.dplstm.privacy.noise.NoiseAhead;

/**
 * {@link GradientNoise#bulk}: noise drawn on the host from a {@link GaussianNoise} source. A whole
 * step's noise (every parameter, in order) is drawn ahead on a background thread by a
 * {@link NoiseAhead}, so drawing it costs the step nothing on a multi-core CPU, and crosses to the
 * engine as one array. The noise never depends on the data, so drawing it early changes nothing
 * in the mechanism. Not thread-safe: one trainer uses it.
 */
final class BulkGradientNoise implements GradientNoise {

    private final GaussianNoise source;
    private NoiseAhead<?> ahead;
    private long aheadSize = -1;
    private double aheadStddev = Double.NaN;
    private DataType aheadType;

    BulkGradientNoise(GaussianNoise source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** One array on its own, drawn now: copied to the host, noised there, copied back. */
    @Override
    public NDArray addTo(NDManager scope, NDArray sum, double stddev) {
        NDArray noisy;
        if (sum.getDataType() == DataType.FLOAT64) {
            double[] values = sum.toDoubleArray();
            source.addTo(values, stddev);
            noisy = scope.create(values, sum.getShape());
        } else if (sum.getDataType() == DataType.FLOAT32) {
            float[] values = sum.toFloatArray();
            source.addTo(values, stddev);
            noisy = scope.create(values, sum.getShape());
        } else {
            throw new IllegalStateException("gradient sums must be float32 or float64, was " + sum.getDataType());
        }
        return noisy.toDevice(sum.getDevice(), false);
    }

    /** A whole step at once, drawn ahead during the previous step. */

    @Override
    public NDList addToAll(NDManager scope, NDList sums, double stddev) {
        if (sums.isEmpty()) {
            return new NDList();
        }
        DataType type = sums.head().getDataType();
        long size = 0;
        for (NDArray sum : sums) {
            if (sum.getDataType() != type || (type != DataType.FLOAT32 && type != DataType.FLOAT64)) {
                throw new IllegalStateException(
                        "gradient sums must all be float32 or all float64, had " + type + " and " + sum.getDataType());
            }
            size += sum.size();
        }
        NDArray drawn = draw(scope, size, stddev, type).toDevice(sums.head().getDevice(), false);
        NDList noisy = new NDList(sums.size());
        long offset = 0;
        for (NDArray sum : sums) {
            NDArray slice = drawn.get(new NDIndex("{}:{}", offset, offset + sum.size())).reshape(sum.getShape());
            noisy.add(sum.add(slice));
            offset += sum.size();
        }
        return noisy;
    }

    /** {@code size} draws of N(0, stddev²) as one engine array; a new shape restarts the drawing. */
    private NDArray draw(NDManager scope, long size, double stddev, DataType type) {
        if (ahead == null || size != aheadSize || stddev != aheadStddev || type != aheadType) {
            if (ahead != null) {
                ahead.close();
            }
            int length = Math.toIntExact(size);
            ahead = type == DataType.FLOAT64
                    ? NoiseAhead.doubles(source, length, stddev)
                    : NoiseAhead.floats(source, length, stddev);
            aheadSize = size;
            aheadStddev = stddev;
            aheadType = type;
        }
        Object buffer = ahead.take();
        return buffer instanceof double[] doubles ? scope.create(doubles) : scope.create((float[]) buffer);
    }
}
