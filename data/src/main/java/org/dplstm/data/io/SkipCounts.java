package org.dplstm.data.io;

import java.util.EnumMap;
import java.util.Map;

/** How many records a reader skipped, per problem (only under {@link OnError#SKIP}). */
public final class SkipCounts {
    private final EnumMap<ReadProblem, Long> counts = new EnumMap<>(ReadProblem.class);

    public SkipCounts() {}

    void add(ReadProblem problem) {
        counts.merge(problem, 1L, Long::sum);
    }

    public long count(ReadProblem problem) {
        return counts.getOrDefault(problem, 0L);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The non-zero counts, in {@link ReadProblem} order. */
    public Map<ReadProblem, Long> asMap() {
        return new EnumMap<>(counts);
    }
}
