package org.dplstm.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** A model's parameters as one flat float array, in parameter order (what a step broadcasts and sums). */
final class FlatWeights {

    private FlatWeights() {}

    static int size(NDList parameters) {
        long size = 0;
        for (NDArray parameter : parameters) {
            size += parameter.size();
        }
        return Math.toIntExact(size);
    }

    static float[] of(NDList parameters) {
        float[] flat = new float[size(parameters)];
        int offset = 0;
        for (NDArray parameter : parameters) {
            float[] values = parameter.toFloatArray();
            System.arraycopy(values, 0, flat, offset, values.length);
            offset += values.length;
        }
        return flat;
    }

    static void load(float[] flat, NDList parameters) {
        int offset = 0;
        for (NDArray parameter : parameters) {
            float[] values = new float[Math.toIntExact(parameter.size())];
            System.arraycopy(flat, offset, values, 0, values.length);
            parameter.set(values);
            offset += values.length;
        }
    }

    /** Per-parameter arrays in {@code scope} holding {@code flat}, shaped like {@code parameters}. */
    static NDArray[] split(double[] flat, NDList parameters, NDManager scope) {
        NDArray[] arrays = new NDArray[parameters.size()];
        int offset = 0;
        for (int i = 0; i < arrays.length; i++) {
            NDArray parameter = parameters.get(i);
            float[] values = new float[Math.toIntExact(parameter.size())];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) flat[offset + j];
            }
            offset += values.length;
            arrays[i] = scope.create(values, parameter.getShape());
        }
        return arrays;
    }
}
