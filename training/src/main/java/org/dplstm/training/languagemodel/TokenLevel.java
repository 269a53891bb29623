package org.dplstm.training.languagemodel;

import java.util.Locale;

/** What one token of a language model is. */
public enum TokenLevel {
    /**
     * One character (case kept), from a fixed public character set: nothing about the vocabulary
     * depends on the private text, no budget is spent on it, and every text can be generated.
     */
    CHAR,
    /** One lower-cased word or punctuation mark, from a public word list or a DP-selected one. */
    WORD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code char} or {@code word}, any case. */
    public static TokenLevel parse(String text) {
        for (TokenLevel level : values()) {
            if (level.id().equalsIgnoreCase(text)) {
                return level;
            }
        }
        throw new IllegalArgumentException("token level must be one of [char, word], was " + text);
    }
}
