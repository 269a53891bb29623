package org.dplstm.cli;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.languagemodel.TokenLevel;

/**
 * An encoder-decoder's warm start when the command line leaves {@code --init} out: with characters
 * on both sides, the shipped public encoder-decoder {@value #ENCODER_DECODER} (pretrained on
 * Debian's program-message translations, English to German) where it fits the run, else random
 * weights with a note saying why; with words on either side, random weights. Decided from
 * measurements on corpora it was not trained on (README, "Translation and replies") and from nothing
 * about the private data.
 */
final class Seq2SeqDefaults {

    static final String ENCODER_DECODER = "en-de-char";

    /** The resolved warm start and the notes the run prints about it. */
    record Choice(InitChoice init, List<String> notes) {}

    private Seq2SeqDefaults() {}

    static Choice resolve(String init, TrainingJob.PairSettings pairs, int embedding, int hidden, int layers,
            boolean bidirectional, boolean tied) {
        InitChoice start = InitChoice.parse(init);
        if (init != null || pairs.sourceTokenLevel() != TokenLevel.CHAR || pairs.targetTokenLevel() != TokenLevel.CHAR) {
            // a start was named, or a word side was chosen: the character model is not the default, nothing to say
            return new Choice(start, List.of());
        }
        PublicEncoder model = PublicEncoder.named(ENCODER_DECODER);
        String sizes = model.sizeMisfit(embedding, hidden, layers, bidirectional);
        String misfit = tied ? "has an output layer of its own, not one tied to the target embedding"
                : sizes != null ? sizes
                : !model.attention().equals(pairs.attention()) ? "has " + model.attention() + " attention, not "
                        + pairs.attention()
                : null;
        List<String> notes = new ArrayList<>();
        if (misfit == null) {
            start = new InitChoice(null, ENCODER_DECODER);
        } else {
            notes.add("the public encoder-decoder " + ENCODER_DECODER + " (the default start for --task seq2seq) "
                    + misfit + ": training from random weights");
        }
        return new Choice(start, notes);
    }
}
