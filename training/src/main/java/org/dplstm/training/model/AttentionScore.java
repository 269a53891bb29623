package org.dplstm.training.model;

import java.util.Locale;

/**
 * How an encoder-decoder's decoder state h_t scores an encoder state h̄_s (Luong, Pham and Manning
 * 2015, §3.1): {@code dot} h_t·h̄_s, or {@code general} h_t·W_a h̄_s with a learned W_a.
 */
public enum AttentionScore {
    DOT,
    GENERAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code dot} or {@code general}, any case. */
    public static AttentionScore parse(String text) {
        for (AttentionScore score : values()) {
            if (score.id().equalsIgnoreCase(text)) {
                return score;
            }
        }
        throw new IllegalArgumentException("attention must be one of [dot, general], was " + text);
    }

    @Override
    public String toString() {
        return id();
    }
}
