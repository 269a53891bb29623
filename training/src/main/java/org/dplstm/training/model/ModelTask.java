package org.dplstm.training.model;

/** What a model predicts. Only text classification is built; a language model comes later. */
public enum ModelTask {
    /** One label per text, read from the last real position of the sequence. */
    CLASSIFY
}
