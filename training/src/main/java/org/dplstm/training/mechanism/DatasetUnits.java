package org.dplstm.training.mechanism;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Batchifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.training.dpsgd.UnitData;
import org.dplstm.training.mechanism.clip.ExampleBatch;

/**
 * A DJL {@link RandomAccessDataset} as privacy units: each record alone, or (user level) all
 * records of one user id. Records are fetched by index and stacked by a {@link Batchifier}.
 */
final class DatasetUnits implements UnitData {

    private final RandomAccessDataset dataset;
    private final Batchifier batchifier;
    private final int[][] units;
    private final boolean grouped;

    private DatasetUnits(RandomAccessDataset dataset, Batchifier batchifier, int[][] units, boolean grouped) {
        this.dataset = dataset;
        this.batchifier = batchifier;
        this.units = units;
        this.grouped = grouped;
    }

    /** Each record its own unit. */
    static DatasetUnits ofRecords(RandomAccessDataset dataset, Batchifier batchifier) {
        int size = size(dataset);
        int[][] units = new int[size][];
        for (int i = 0; i < size; i++) {
            units[i] = new int[] {i};
        }
        return new DatasetUnits(dataset, batchifier, units, false);
    }

    /** One unit per distinct user id, in order of first appearance; {@code users} has one id per record. */
    static DatasetUnits ofUsers(RandomAccessDataset dataset, Batchifier batchifier, long[] users) {
        int size = size(dataset);
        if (users.length != size) {
            throw new IllegalArgumentException("user ids must be one per training record (" + size + "), had "
                    + users.length);
        }
        Map<Long, List<Integer>> byUser = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            byUser.computeIfAbsent(users[i], u -> new ArrayList<>()).add(i);
        }
        int[][] units = byUser.values().stream()
                .map(records -> records.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        return new DatasetUnits(dataset, batchifier, units, true);
    }

    static int size(RandomAccessDataset dataset) {
        try {
            dataset.prepare();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the dataset", e);
        } catch (ai.djl.translate.TranslateException e) {
            throw new IllegalArgumentException("dataset cannot be prepared: " + e.getMessage(), e);
        }
        return Math.toIntExact(dataset.size());
    }

    @Override
    public int unitCount() {
        return units.length;
    }

    @Override
    public int[] examplesOf(int unit) {
        return units[unit];
    }

    @Override
    public boolean grouped() {
        return grouped;
    }

    @Override
    public ExampleBatch batch(NDManager scope, int[] examples, long[] groups) {
        return batch(dataset, batchifier, scope, examples, groups);
    }

    /** Records {@code examples} of {@code dataset}, stacked, in {@code scope}. */
    static ExampleBatch batch(RandomAccessDataset dataset, Batchifier batchifier, NDManager scope, int[] examples,
            long[] groups) {
        NDList[] data = new NDList[examples.length];
        NDList[] labels = new NDList[examples.length];
        for (int i = 0; i < examples.length; i++) {
            try {
                Record record = dataset.get(scope, examples[i]);
                data[i] = record.getData();
                labels[i] = record.getLabels();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read training record " + examples[i], e);
            }
        }
        return new ExampleBatch(batchifier.batchify(data), batchifier.batchify(labels), groups);
    }
}
