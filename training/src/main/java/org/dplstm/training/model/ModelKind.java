package org.dplstm.training.model;

import java.util.Locale;

/** Which network a model is: what {@code --model} chooses and model files record. */
public enum ModelKind {
    /** Embedding → recurrent stack (LSTM or GRU cells, {@link ModelConfig#cell()}) → output layer: every task. */
    RECURRENT("lstm"),
    /**
     * A linear layer over the text's bag of hashed character n-grams ({@link NgramLinearClassifier}):
     * classifiers only. Measured to beat the recurrent classifier on real sets (README).
     */
    NGRAM("ngram");

    private final String id;

    ModelKind(String id) {
        this.id = id;
    }

    /** The command line's name: {@code lstm} or {@code ngram}. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()} (any case). */
    public static ModelKind parse(String text) {
        for (ModelKind kind : values()) {
            if (kind.id.equalsIgnoreCase(text)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("model must be one of [lstm, ngram], was " + text);
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
