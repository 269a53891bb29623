package org.dplstm.training.classifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.tokenize.Tokenizer;
import org.dplstm.data.vocab.DpVocabulary;
import org.dplstm.data.vocab.DpVocabularySelector;
import org.dplstm.data.vocab.WordListVocabulary;
import org.dplstm.privacy.Checks;

/**
 * Where a run's vocabulary comes from. Never a plain frequency cut on private text (it would leak
 * rare words): feature hashing (nothing data-dependent), a public word list, or DP selection whose
 * cost is composed into the run's accountant (ARCHITECTURE §5).
 */
public record VocabularySource(Kind kind, int buckets, Path file, double noiseMultiplier, int maxTokensPerUser) {

    public enum Kind { HASH, FILE, DP }

    /** Default noise multiplier of DP selection: a small share of a typical budget. */
    public static final double DEFAULT_DP_NOISE_MULTIPLIER = 8.0;

    public VocabularySource {
        Objects.requireNonNull(kind, "kind");
    }

    /** Feature hashing into {@code buckets} ids (plus padding and unknown). */
    public static VocabularySource hashing(int buckets) {
        Checks.atLeast("vocabulary size", buckets, 1);
        return new VocabularySource(Kind.HASH, buckets, null, Double.NaN, 0);
    }

    /** A public word list, one token a line (or a vocabulary JSON file from the data module). */
    public static VocabularySource publicFile(Path file) {
        return new VocabularySource(Kind.FILE, 0, Objects.requireNonNull(file, "file"), Double.NaN, 0);
    }

    /** DP selection from the training text (Gaussian partition selection, data module). */
    public static VocabularySource dpSelected(double noiseMultiplier, int maxTokensPerUser) {
        Checks.positive("vocabulary noise multiplier", noiseMultiplier);
        Checks.atLeast("vocabulary tokens per user", maxTokensPerUser, 1);
        return new VocabularySource(Kind.DP, 0, null, noiseMultiplier, maxTokensPerUser);
    }

    /**
     * DP selection (kind dp) from the SANITIZED training text, so placeholders, never raw PII,
     * are what it may keep; its threshold's δ is a tenth of the run's. Its events go into the
     * run's accountant as a prior cost.
     */
    public DpVocabulary selectPrivately(List<TextRecord> sanitized, Tokenizer tokenizer, double runDelta) {
        if (kind != Kind.DP) {
            throw new IllegalStateException("vocabulary source is " + id() + ", not dp");
        }
        return DpVocabularySelector.builder()
                .noiseMultiplier(noiseMultiplier)
                .optMaxTokensPerUser(maxTokensPerUser)
                .thresholdDelta(runDelta / 10)
                .build()
                .select(sanitized, tokenizer);
    }

    /**
     * The public word list of a file source; a file that is no word list is bad input naming it,
     * one that cannot be read an I/O failure (an {@link UncheckedIOException}: the path and the reason).
     */
    public WordListVocabulary wordList() {
        if (kind != Kind.FILE) {
            throw new IllegalStateException("vocabulary source is " + id() + ", not a file");
        }
        try {
            return WordListVocabulary.fromFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("vocab file cannot be read", e);
        }
    }

    /** Parses {@code hash}, {@code dp} or a file path (the CLI's {@code --vocab}). */
    public static VocabularySource parse(String text, int buckets) {
        if ("hash".equalsIgnoreCase(text)) {
            return hashing(buckets);
        }
        if ("dp".equalsIgnoreCase(text)) {
            return dpSelected(DEFAULT_DP_NOISE_MULTIPLIER, 100);
        }
        Path file = Path.of(text);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("vocab must be hash, dp or an existing word-list file, was " + text);
        }
        return publicFile(file);
    }

    public String id() {
        return switch (kind) {
            case HASH -> "hash";
            case DP -> "dp";
            case FILE -> "file";
        };
    }
}
