package org.dplstm.cli;

import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.recurrent.CellKind;

/**
 * A language model's warm start when the command line leaves {@code --init} out: for characters,
 * the shipped public character language model {@value #LANGUAGE_MODEL} where it fits the run, else
 * random weights with a note saying why; for words, random weights. Decided from measurements on
 * text it was not trained on (README, "Accuracy at small ε") and from nothing about the private data.
 */
final class LanguageModelDefaults {

    static final String LANGUAGE_MODEL = "latin-char-lm";

    private LanguageModelDefaults() {}

    /** A tied output layer needs embedding = hidden, which the shipped sizes (16, 32) are not: the sizes say so. */
    static DefaultStart.Choice resolve(String init, TokenLevel level, CellKind cell, int embedding, int hidden,
            int layers) {
        return DefaultStart.resolve(init, level == TokenLevel.CHAR, LANGUAGE_MODEL,
                "the public language model " + LANGUAGE_MODEL + " (the default start for --task lm)",
                DefaultStart.lstmMisfit(cell, embedding, hidden, layers, false));
    }
}
