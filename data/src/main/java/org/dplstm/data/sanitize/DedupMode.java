package org.dplstm.data.sanitize;

import java.util.Locale;

/** Which duplicates the sanitizer drops: none, exact copies (after normalisation), or near copies. */
public enum DedupMode {
    NONE,
    EXACT,
    NEAR;

    public static DedupMode parse(String value) {
        for (DedupMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("dedup must be one of exact, near, none, was " + value);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
