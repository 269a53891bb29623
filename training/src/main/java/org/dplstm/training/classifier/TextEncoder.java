package org.dplstm.training.classifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.data.tokenize.CharTokenizer;
import org.dplstm.data.tokenize.Tokenizer;
import org.dplstm.data.tokenize.WordTokenizer;
import org.dplstm.data.vocab.CharNgramBag;
import org.dplstm.data.vocab.HashingVocabulary;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.data.vocab.VocabularyFiles;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.session.RunEncoder;
import org.dplstm.training.session.TrainingRecords;
import org.dplstm.training.session.TrainingSanitizer;

/**
 * Text to token ids and labels to class ids, the same way at training and prediction time:
 * sanitize (normalise, redact PII), tokens at the run's level (lower-cased words, lower-cased
 * characters, a public tokenizer's subword pieces, or hashed character n-grams), vocabulary ids, truncation to a maximum
 * length (an empty text becomes one unknown token when predicting; training drops it).
 */
public final class TextEncoder implements RunEncoder {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The word tokenizer's id in encoder.json since Han characters and kana words are split. */
    private static final String SPLIT_WORDS = "word-lowercase-han-kana";
    /** The n-gram level's tokenizer id: CharNgramBag's n-grams of 2 to 4 characters. */
    private static final String CHAR_NGRAMS = "char-ngram-2-4";
    /** Tokens (n-gram occurrences) an n-gram classifier keeps by default: the n-grams of a text of ~680 characters. */
    public static final int NGRAM_MAX_LENGTH = 2048;

    private final Vocabulary vocabulary;
    private final List<String> labels;
    private final Map<String, Integer> labelIds = new HashMap<>();
    private final int maxLength;
    private final boolean sanitize;
    private final ClassifierTokenLevel level;
    private final Tokenizer tokenizer;
    /** Words only: Han characters and kana words are tokens (false in runs saved before that split). */
    private final boolean splitUnspacedScripts;
    private final SubwordTokenizer subwords;
    /** N-gram level only: the n-grams whose buckets are the tokens (the vocabulary hashes them). */
    private final CharNgramBag ngrams;
    private final TrainingSanitizer sanitizer;

    /** A word-level encoder of a new run: Han characters and kana words split apart ({@link WordTokenizer}). */
    TextEncoder(Vocabulary vocabulary, List<String> labels, int maxLength, boolean sanitize) {
        this(ClassifierTokenLevel.WORD, vocabulary, null, labels, maxLength, sanitize);
    }

    /**
     * An encoder of a new run.
     *
     * @param vocabulary the token vocabulary (word or char level; null for subword)
     * @param subwords the public tokenizer (subword level only)
     */
    TextEncoder(ClassifierTokenLevel level, Vocabulary vocabulary, SubwordTokenizer subwords, List<String> labels,
            int maxLength, boolean sanitize) {
        this(level, vocabulary, subwords, labels, maxLength, sanitize, true);
    }

    private TextEncoder(ClassifierTokenLevel level, Vocabulary vocabulary, SubwordTokenizer subwords,
            List<String> labels, int maxLength, boolean sanitize, boolean splitUnspacedScripts) {
        this.level = level;
        this.subwords = subwords;
        this.splitUnspacedScripts = splitUnspacedScripts;
        this.tokenizer = switch (level) {
            case WORD -> new WordTokenizer(true, splitUnspacedScripts);
            case CHAR -> new CharTokenizer(true);
            case SUBWORD, NGRAM -> null;
        };
        this.ngrams = level == ClassifierTokenLevel.NGRAM ? ngramsHashedBy(vocabulary) : null;
        if ((level == ClassifierTokenLevel.SUBWORD) != (subwords != null)) {
            throw new IllegalArgumentException("a subword tokenizer is needed exactly at token level subword, level was "
                    + level.id());
        }
        this.vocabulary = vocabulary;
        this.labels = List.copyOf(labels);
        for (int i = 0; i < labels.size(); i++) {
            labelIds.put(labels.get(i), i);
        }
        this.maxLength = maxLength;
        this.sanitize = sanitize;
        this.sanitizer = new TrainingSanitizer(sanitize);
    }

    /** N-grams of 2 to 4 characters into the vocabulary's buckets: its ids are the bucket ids plus 2. */
    private static CharNgramBag ngramsHashedBy(Vocabulary vocabulary) {
        if (!(vocabulary instanceof HashingVocabulary hashing)) {
            throw new IllegalArgumentException("token level ngram needs a hashing vocabulary, was "
                    + (vocabulary == null ? "none" : vocabulary.getClass().getSimpleName()));
        }
        return CharNgramBag.builder().optLengths(2, 4).optBuckets(hashing.buckets()).build();
    }

    /** The token vocabulary; null at subword level (the tokenizer file holds it). */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public ClassifierTokenLevel tokenLevel() {
        return level;
    }

    /** Token ids, padding and unknown included. */
    public int vocabularySize() {
        return subwords != null ? subwords.vocabularySize() : vocabulary.size();
    }

    /** How the text is split, as encoder.json and run_start record it. */
    String tokenizerId() {
        return switch (level) {
            case WORD -> splitUnspacedScripts ? SPLIT_WORDS : "word-lowercase";
            case CHAR -> "char-lowercase";
            case SUBWORD -> "subword:sha256:" + subwords.sha256();
            case NGRAM -> CHAR_NGRAMS;
        };
    }

    /** The word or character tokenizer (null at subword level): a DP vocabulary is counted in its tokens. */
    Tokenizer tokenizer() {
        return tokenizer;
    }

    public List<String> labels() {
        return labels;
    }

    public int maxLength() {
        return maxLength;
    }

    /** The text as it is tokenized: normalised and PII-redacted unless sanitization is off. */
    public String clean(String text) {
        return sanitizer.clean(text);
    }

    /**
     * What sanitization does here (normalise and redact, with the sanitizer's default settings),
     * as recorded in the audit log; deduplication and per-user caps belong to {@code dplstm
     * sanitize} and are not applied at training time.
     */
    @Override
    public ObjectNode sanitizationConfig() {
        return sanitizer.toJson();
    }

    public int[] encode(String text) {
        return idsOf(clean(text));
    }

    private int[] idsOf(String cleaned) {
        int[] ids;
        if (subwords != null) {
            ids = subwords.ids(cleaned);
            ids = ids.length > maxLength ? Arrays.copyOf(ids, maxLength) : ids;
        } else if (ngrams != null) {
            // the first maxLength n-grams, the same at training and prediction time
            int[] buckets = ngrams.buckets(cleaned);
            ids = new int[Math.min(buckets.length, maxLength)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = buckets[i] + 2; // HashingVocabulary's id of the bucket
            }
        } else {
            List<String> tokens = tokenizer.tokens(cleaned);
            ids = vocabulary.ids(tokens.size() > maxLength ? tokens.subList(0, maxLength) : tokens);
        }
        return ids.length == 0 ? new int[] {Vocabulary.UNKNOWN_ID} : ids;
    }

    /** Encodes records; a label not among this encoder's labels is bad input naming its record. */
    @Override
    public EncodedDataset encode(List<TextRecord> records, boolean withUsers) {
        return encode(records, withUsers, null);
    }

    /**
     * Encodes records as {@link #encode(List, boolean)} does, counting what sanitization changed
     * in {@code report} (counts per type only; nothing counted when sanitization is off).
     */
    @Override
    public EncodedDataset encode(List<TextRecord> records, boolean withUsers, SanitizationReport report) {
        return TrainingRecords.encode(records, withUsers, sanitizer, report, this::idsOf, this::labelIdOf,
                labels.size());
    }

    private int labelIdOf(TextRecord record) {
        Integer label = labelIds.get(record.label());
        if (label == null) {
            throw new IllegalArgumentException(record.location() + ": label must be one of the training labels "
                    + labels + ", was '" + record.label() + "'");
        }
        return label;
    }

    /** The sorted distinct labels of the training records; at least two are needed. */
    static List<String> labelsOf(List<TextRecord> records) {
        List<String> labels = records.stream().map(TextRecord::label).distinct().sorted().toList();
        if (labels.size() < 2) {
            throw new IllegalArgumentException(
                    "training data must have at least 2 distinct labels, had " + labels.size() + " " + labels);
        }
        return labels;
    }

    @Override
    public void save(Path dir) throws IOException {
        if (subwords != null) {
            AtomicFile.write(dir.resolve(RunFiles.TOKENIZER), subwords.bytes());
        } else {
            VocabularyFiles.save(vocabulary, dir.resolve(RunFiles.VOCABULARY));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("labels", labels);
        map.put("max_length", maxLength);
        map.put("sanitize", sanitize);
        map.put("token_level", level.id());
        map.put("tokenizer", tokenizerId());
        AtomicFile.writeString(dir.resolve(RunFiles.ENCODER), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(map));
    }

    @SuppressWarnings("unchecked")
    static TextEncoder load(Path dir) throws IOException {
        Map<String, Object> map = JSON.readValue(dir.resolve(RunFiles.ENCODER).toFile(), Map.class);
        // encoders written before classifiers had a token level are word-level
        ClassifierTokenLevel level = map.get("token_level") == null ? ClassifierTokenLevel.WORD
                : ClassifierTokenLevel.ofId((String) map.get("token_level"));
        if (level == ClassifierTokenLevel.NGRAM && !CHAR_NGRAMS.equals(map.get("tokenizer"))) {
            throw new IllegalArgumentException("encoder " + dir.resolve(RunFiles.ENCODER) + " has n-grams "
                    + map.get("tokenizer") + ", this build reads " + CHAR_NGRAMS + " only");
        }
        SubwordTokenizer subwords = level == ClassifierTokenLevel.SUBWORD
                ? SubwordTokenizer.load(dir.resolve(RunFiles.TOKENIZER)) : null;
        Vocabulary vocabulary = subwords == null ? VocabularyFiles.load(dir.resolve(RunFiles.VOCABULARY)) : null;
        // runs saved before the split read a run of Han and kana as one word
        boolean split = SPLIT_WORDS.equals(map.get("tokenizer"));
        return new TextEncoder(level, vocabulary, subwords, new ArrayList<>((List<String>) map.get("labels")),
                ((Number) map.get("max_length")).intValue(), Boolean.TRUE.equals(map.get("sanitize")), split);
    }

    @Override
    public String toString() {
        return "TextEncoder" + Arrays.asList(level.id(), labels, maxLength, sanitize);
    }
}
