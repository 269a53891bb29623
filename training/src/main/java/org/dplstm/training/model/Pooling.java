package org.dplstm.training.model;

import java.util.Locale;

/** How a classifier turns the top layer's states (one per position) into its features. */
public enum Pooling {
    /** The state at each example's last real position (the default). */
    LAST,
    /**
     * The mean of the states over each example's real positions: every position gets the output
     * gradient directly instead of only through the recurrence, which suits short texts whose
     * label shows in many places (a language, a topic).
     */
    MEAN;

    /** Parses {@link #toString()} (any case). */
    public static Pooling parse(String text) {
        for (Pooling pooling : values()) {
            if (pooling.name().equalsIgnoreCase(text)) {
                return pooling;
            }
        }
        throw new IllegalArgumentException("pooling must be one of [last, mean], was " + text);
    }

    /** {@code last} or {@code mean}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
