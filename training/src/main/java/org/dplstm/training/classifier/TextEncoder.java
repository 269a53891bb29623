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
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.data.tokenize.CharTokenizer;
import org.dplstm.data.tokenize.Tokenizer;
import org.dplstm.data.tokenize.WordTokenizer;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.data.vocab.VocabularyFiles;
import org.dplstm.training.checkpoint.AtomicFiles;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.session.RunEncoder;
import org.dplstm.training.session.TrainingSanitizer;

/**
 * Text to token ids and labels to class ids, the same way at training and prediction time:
 * sanitize (normalise, redact PII), tokens at the run's level (lower-cased words, lower-cased
 * characters, or a public tokenizer's subword pieces), vocabulary ids, truncation to a maximum
 * length (an empty text becomes one unknown token).
 */
public final class TextEncoder implements RunEncoder {

    static final String FILE_NAME = "encoder.json";
    static final String VOCABULARY_FILE = "vocabulary.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vocabulary vocabulary;
    private final List<String> labels;
    private final Map<String, Integer> labelIds = new HashMap<>();
    private final int maxLength;
    private final boolean sanitize;
    private final ClassifierTokenLevel level;
    private final Tokenizer tokenizer;
    private final SubwordTokenizer subwords;
    private final TrainingSanitizer sanitizer;

    /** A word-level encoder. */
    TextEncoder(Vocabulary vocabulary, List<String> labels, int maxLength, boolean sanitize) {
        this(ClassifierTokenLevel.WORD, vocabulary, null, labels, maxLength, sanitize);
    }

    /**
     * @param vocabulary the token vocabulary (word or char level; null for subword)
     * @param subwords the public tokenizer (subword level only)
     */
    TextEncoder(ClassifierTokenLevel level, Vocabulary vocabulary, SubwordTokenizer subwords, List<String> labels,
            int maxLength, boolean sanitize) {
        this.level = level;
        this.subwords = subwords;
        this.tokenizer = switch (level) {
            case WORD -> new WordTokenizer(true);
            case CHAR -> new CharTokenizer(true);
            case SUBWORD -> null;
        };
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
            case WORD -> "word-lowercase";
            case CHAR -> "char-lowercase";
            case SUBWORD -> "subword:sha256:" + subwords.sha256();
        };
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
        int[][] tokens = new int[records.size()][];
        int[] labelIndex = new int[records.size()];
        int[] users = withUsers ? new int[records.size()] : null;
        Map<String, Integer> userIds = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            TextRecord record = records.get(i);
            tokens[i] = idsOf(sanitizer.clean(record.text(), report));
            Integer label = labelIds.get(record.label());
            if (label == null) {
                throw new IllegalArgumentException(record.location() + ": label must be one of the training labels "
                        + labels + ", was '" + record.label() + "'");
            }
            labelIndex[i] = label;
            if (withUsers) {
                if (record.user() == null) {
                    throw new IllegalArgumentException(record.location() + ": user must be given at user level");
                }
                users[i] = userIds.computeIfAbsent(record.user(), u -> userIds.size());
            }
        }
        return EncodedDataset.of(tokens, labelIndex, users, labels.size());
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
            AtomicFiles.write(dir.resolve(SubwordTokenizer.FILE_NAME), out -> out.write(subwords.bytes()));
        } else {
            VocabularyFiles.save(vocabulary, dir.resolve(VOCABULARY_FILE));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("labels", labels);
        map.put("max_length", maxLength);
        map.put("sanitize", sanitize);
        map.put("token_level", level.id());
        map.put("tokenizer", tokenizerId());
        AtomicFiles.writeString(dir.resolve(FILE_NAME), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(map));
    }

    @SuppressWarnings("unchecked")
    static TextEncoder load(Path dir) throws IOException {
        Map<String, Object> map = JSON.readValue(dir.resolve(FILE_NAME).toFile(), Map.class);
        // encoders written before classifiers had a token level are word-level
        ClassifierTokenLevel level = map.get("token_level") == null ? ClassifierTokenLevel.WORD
                : ClassifierTokenLevel.parse((String) map.get("token_level"));
        SubwordTokenizer subwords = level == ClassifierTokenLevel.SUBWORD
                ? SubwordTokenizer.load(dir.resolve(SubwordTokenizer.FILE_NAME)) : null;
        Vocabulary vocabulary = subwords == null ? VocabularyFiles.load(dir.resolve(VOCABULARY_FILE)) : null;
        return new TextEncoder(level, vocabulary, subwords, new ArrayList<>((List<String>) map.get("labels")),
                ((Number) map.get("max_length")).intValue(), Boolean.TRUE.equals(map.get("sanitize")));
    }

    @Override
    public String toString() {
        return "TextEncoder" + Arrays.asList(level.id(), labels, maxLength, sanitize);
    }
}
