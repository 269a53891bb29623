package org.dplstm.training.model;

import java.util.Locale;

/** What a model predicts. */
public enum ModelTask {
    /** One label per text, read from the sequence's last real position or the mean of its positions. */
    CLASSIFY("classify"),
    /** The next token at every position of the sequence (a language model). */
    LANGUAGE_MODEL("lm"),
    /** A target sequence from a source sequence (an attentional encoder-decoder: translation, replies). */
    SEQ2SEQ("seq2seq");

    private final String id;

    ModelTask(String id) {
        this.id = id;
    }

    /** The command line's name: {@code classify}, {@code lm} or {@code seq2seq}. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()} (any case). */
    public static ModelTask parse(String text) {
        for (ModelTask task : values()) {
            if (task.id.equalsIgnoreCase(text)) {
                return task;
            }
        }
        throw new IllegalArgumentException("task must be one of [classify, lm, seq2seq], was " + text);
    }

    /** The id, lower case (for messages). */
    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
