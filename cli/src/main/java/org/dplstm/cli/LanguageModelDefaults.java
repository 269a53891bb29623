package org.dplstm.cli;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.recurrent.CellKind;

/**
 * A language model's warm start when the command line leaves {@code --init} out: for characters,
 * the shipped public character language model {@value #LANGUAGE_MODEL} where it fits the run, else
 * random weights with a note saying why; for words, random weights. Decided from measurements on text it was not trained on (README, "Accuracy at
 * small ε") and from nothing about the private data.
 */
final class LanguageModelDefaults {

    static final String LANGUAGE_MODEL = "latin-char-lm";

    /** The resolved warm start and the notes the run prints about it. */
    record Choice(InitChoice init, List<String> notes) {}

    private LanguageModelDefaults() {}

    /** A tied output layer needs embedding = hidden, which the shipped sizes (16, 32) are not: the sizes say so. */
    static Choice resolve(String init, TokenLevel level, CellKind cell, int embedding, int hidden, int layers) {
        InitChoice start = InitChoice.parse(init);
        if (init != null || level != TokenLevel.CHAR) {
            // a word-level model was chosen explicitly: the character model is not its default, nothing to say
            return new Choice(start, List.of());
        }
        PublicEncoder model = PublicEncoder.named(LANGUAGE_MODEL);
        String misfit = cell != CellKind.LSTM ? "is an LSTM, not a " + cell.id()
                : model.sizeMisfit(embedding, hidden, layers, false);
        List<String> notes = new ArrayList<>();
        if (misfit == null) {
            start = new InitChoice(null, LANGUAGE_MODEL);
        } else {
            notes.add("the public language model " + LANGUAGE_MODEL + " (the default start for --task lm) " + misfit
                    + ": training from random weights");
        }
        return new Choice(start, notes);
    }
}
