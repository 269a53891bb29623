package org.dplstm.training.classifier;

import java.util.Locale;

/**
 * What one token of a classifier is (ARCHITECTURE §5: every choice leaks nothing about the
 * vocabulary of the private text, or pays for it).
 */
public enum ClassifierTokenLevel {
    /**
     * One lower-cased character, from {@link org.dplstm.data.vocab.PublicCharacterVocabulary}:
     * a fixed public set plus hashed buckets for every other code point, so every script is
     * covered and nothing is counted from the data.
     */
    CHAR,
    /** One lower-cased word or punctuation mark: hashed, a public word list, or DP-selected. */
    WORD,
    /** Subword pieces of a public tokenizer.json (BPE or WordPiece), e.g. the one the project ships. */
    SUBWORD,
    /**
     * One hashed character n-gram occurrence ({@link org.dplstm.data.vocab.CharNgramBag}): the
     * n-gram classifier's own level ({@code --model ngram}), never chosen with {@code --token-level}.
     */
    NGRAM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code char}, {@code word} or {@code subword}, any case: the levels {@code --token-level} chooses. */
    public static ClassifierTokenLevel parse(String text) {
        for (ClassifierTokenLevel level : values()) {
            if (level != NGRAM && level.id().equalsIgnoreCase(text)) {
                return level;
            }
        }
        throw new IllegalArgumentException("token level must be one of [char, word, subword], was " + text);
    }

    /** Any level by its id, {@code ngram} too: what run files record. */
    public static ClassifierTokenLevel ofId(String text) {
        return NGRAM.id().equalsIgnoreCase(text) ? NGRAM : parse(text);
    }
}
