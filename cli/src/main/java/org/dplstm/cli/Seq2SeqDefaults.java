package org.dplstm.cli;

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

    private Seq2SeqDefaults() {}

    static DefaultStart.Choice resolve(String init, TrainingJob.PairSettings pairs, int embedding, int hidden,
            int layers, boolean bidirectional, boolean tied) {
        boolean characters = pairs.sourceTokenLevel() == TokenLevel.CHAR && pairs.targetTokenLevel() == TokenLevel.CHAR;
        return DefaultStart.resolve(init, characters, ENCODER_DECODER,
                "the public encoder-decoder " + ENCODER_DECODER + " (the default start for --task seq2seq)",
                model -> {
                    if (tied) {
                        return "has an output layer of its own, not one tied to the target embedding";
                    }
                    String sizes = model.sizeMisfit(embedding, hidden, layers, bidirectional);
                    if (sizes != null) {
                        return sizes;
                    }
                    return model.attention().equals(pairs.attention()) ? null
                            : "has " + model.attention() + " attention, not " + pairs.attention();
                });
    }
}
