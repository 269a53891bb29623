package org.dplstm.training.seq2seq;

import org.dplstm.privacy.Checks;

/**
 * How to decode a translation: at most {@code maxTokens} target tokens (stopping early at the end
 * of the text), greedily ({@code beam} 1) or by beam search over {@code beam} hypotheses ranked by
 * their log-probability per token (length-normalised, so short outputs are not favoured).
 */
public record TranslationOptions(int maxTokens, int beam) {

    public static final int DEFAULT_MAX_TOKENS = 200;

    public TranslationOptions {
        Checks.atLeast("max tokens", maxTokens, 1);
        Checks.atLeast("beam", beam, 1);
    }

    /** Greedy decoding of at most {@value #DEFAULT_MAX_TOKENS} tokens. */
    public static TranslationOptions greedy() {
        return new TranslationOptions(DEFAULT_MAX_TOKENS, 1);
    }
}
