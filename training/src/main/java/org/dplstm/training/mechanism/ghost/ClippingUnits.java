package org.dplstm.training.mechanism.ghost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clipping units of a batch: each example alone, or (user-level DP) all examples sharing a
 * group id, whose gradients are summed before clipping (McMahan et al. 2018). Units are numbered
 * in order of first appearance. For ghost norms a unit's examples are laid side by side as one
 * long sequence, padded with zero rows up to the largest unit: cross terms between a unit's
 * examples then appear in its Gram matrix, and zero rows add nothing.
 */
public final class ClippingUnits {

    private final int batchSize;
    private final List<long[]> members;
    private final long[] unitOfExample;
    private final int largest;

    private ClippingUnits(int batchSize, List<long[]> members, long[] unitOfExample) {
        this.batchSize = batchSize;
        this.members = members;
        this.unitOfExample = unitOfExample;
        int max = 0;
        for (long[] m : members) {
            max = Math.max(max, m.length);
        }
        this.largest = max;
    }

    /**
     * The units of a batch of {@code size} examples: each example alone when {@code groups} is
     * null, else the examples sharing a group id.
     */
    public static ClippingUnits of(int size, long[] groups) {
        long[] unitOfExample = new long[size];
        List<long[]> members = new ArrayList<>();
        if (groups == null) {
            for (int b = 0; b < size; b++) {
                unitOfExample[b] = b;
                members.add(new long[] {b});
            }
            return new ClippingUnits(size, members, unitOfExample);
        }
        if (groups.length != size) {
            throw new IllegalArgumentException("groups must have one id per example (" + size + "), had " + groups.length);
        }
        Map<Long, List<Long>> byGroup = new LinkedHashMap<>();
        for (int b = 0; b < size; b++) {
            byGroup.computeIfAbsent(groups[b], g -> new ArrayList<>()).add((long) b);
        }
        int unit = 0;
        for (List<Long> group : byGroup.values()) {
            long[] rows = group.stream().mapToLong(Long::longValue).toArray();
            for (long row : rows) {
                unitOfExample[(int) row] = unit;
            }
            members.add(rows);
            unit++;
        }
        return new ClippingUnits(size, members, unitOfExample);
    }

    public int count() {
        return members.size();
    }

    public long[] members(int unit) {
        return members.get(unit).clone();
    }

    /** True when every unit is a single example in batch order (no regrouping needed). */
    public boolean perExample() {
        return largest <= 1 && members.size() == batchSize;
    }

    /**
     * Lays each unit's examples side by side: (B, L, d) → (U, m·L, d), m the largest unit,
     * missing members filled with zero rows.
     */
    public NDArray regroup(NDArray batchMajor) {
        if (perExample()) {
            return batchMajor;
        }
        Shape shape = batchMajor.getShape();
        NDManager manager = batchMajor.getManager();
        long[] rows = new long[members.size() * largest];
        for (int u = 0; u < members.size(); u++) {
            long[] m = members.get(u);
            for (int j = 0; j < largest; j++) {
                rows[u * largest + j] = j < m.length ? m[j] : batchSize;
            }
        }
        NDArray padded = batchMajor.concat(manager.zeros(new Shape(1, shape.get(1), shape.get(2)), batchMajor.getDataType()), 0);
        return padded.get(new NDIndex("{}", manager.create(rows)))
                .reshape(members.size(), largest * shape.get(1), shape.get(2));
    }

    /** The length {@link #regroup} gives a unit's side-by-side examples of {@code length} positions each. */
    public long regroupedLength(long length) {
        return perExample() ? length : (long) largest * length;
    }

    /** Each example's value of a per-unit array (U) → (B). */
    public NDArray perExampleOf(NDArray perUnit) {
        if (perExample()) {
            return perUnit;
        }
        return perUnit.get(new NDIndex("{}", perUnit.getManager().create(unitOfExample)));
    }
}
