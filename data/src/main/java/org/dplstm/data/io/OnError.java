package org.dplstm.data.io;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a reader does with an invalid record: stop with an error, or skip it and count it. */
public enum OnError {
    FAIL,
    SKIP;

    /** Parses {@code fail} or {@code skip} (any case). */
    public static OnError parse(String value) {
        for (OnError policy : values()) {
            if (policy.name().equalsIgnoreCase(value)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("on-error must be one of "
                + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ", was " + value);
    }
}
