package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A frozen encoder's features (the pooled LSTM states a classifier's head reads), computed once
 * per distinct text and reused: with {@code --freeze encoder} the embedding and LSTM never change,
 * so a text's features are a fixed function of its tokens, and every later step or validation
 * pass needs only the head (ARCHITECTURE §2, variants). Keyed by the token ids themselves, so no
 * index into a data set has to travel with a batch. Bounded: past {@link #MAX_VALUES} stored
 * values, further texts are computed each time.
 */
final class EncoderFeatureCache {

    /** 32M values: 256 MB (kept as float64, so a float64 model's features stay exact). */
    static final long MAX_VALUES = 1L << 25;

    private final Map<Key, double[]> features = new HashMap<>();
    private long stored;

    /** A text's token ids (its real length), compared by content. */
    private record Key(long[] ids) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Arrays.equals(ids, key.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }
    }

    /**
     * The features (B, F) of the batch's texts in {@code dataType}, in {@code work}; texts not yet
     * seen are computed together by {@code compute} (a batch of them, their features (b, F)).
     */
    NDArray features(NDManager work, Batch batch, DataType dataType,
            BiFunction<NDManager, Batch, NDArray> compute) {
        int size = (int) batch.size();
        if (size == 0) {
            return compute.apply(work, batch);
        }
        long[] tokens = batch.tokens().toType(DataType.INT64, false).toLongArray();
        long[] lengths = batch.lengths().toType(DataType.INT64, false).toLongArray();
        int width = (int) batch.tokens().getShape().get(1);
        Key[] keys = new Key[size];
        List<Integer> missing = new ArrayList<>();
        for (int row = 0; row < size; row++) {
            keys[row] = new Key(Arrays.copyOfRange(tokens, row * width, row * width + (int) lengths[row]));
            if (!features.containsKey(keys[row])) {
                missing.add(row);
            }
        }
        double[][] rows = new double[size][];
        if (!missing.isEmpty()) {
            long[] index = missing.stream().mapToLong(Integer::longValue).toArray();
            try (NDManager scope = work.newSubManager()) {
                NDArray rowIndex = scope.create(index);
                Batch part = new Batch(batch.tokens().get(rowIndex), batch.lengths().get(rowIndex),
                        batch.labels().get(rowIndex), null);
                double[] computed = compute.apply(scope, part).toType(DataType.FLOAT64, false).toDoubleArray();
                int featureWidth = computed.length / missing.size();
                for (int k = 0; k < missing.size(); k++) {
                    double[] row = Arrays.copyOfRange(computed, k * featureWidth, (k + 1) * featureWidth);
                    rows[missing.get(k)] = row;
                    if (stored + row.length <= MAX_VALUES && features.putIfAbsent(keys[missing.get(k)], row) == null) {
                        stored += row.length;
                    }
                }
            }
        }
        int featureWidth = -1;
        for (int row = 0; row < size; row++) {
            if (rows[row] == null) {
                rows[row] = features.get(keys[row]);
            }
            featureWidth = rows[row].length;
        }
        double[] flat = new double[size * featureWidth];
        for (int row = 0; row < size; row++) {
            System.arraycopy(rows[row], 0, flat, row * featureWidth, featureWidth);
        }
        return work.create(flat, new Shape(size, featureWidth)).toType(dataType, false);
    }
}
