package org.dplstm.training.languagemodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.data.tokenize.CharTokenizer;
import org.dplstm.data.tokenize.Tokenizer;
import org.dplstm.data.tokenize.WordTokenizer;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.data.vocab.VocabularyFiles;
import org.dplstm.data.vocab.WordListVocabulary;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.session.RunEncoder;
import org.dplstm.training.session.TrainingRecords;
import org.dplstm.training.session.TrainingSanitizer;

/**
 * Text to token ids and back for a language model, the same way at training and generation time:
 * sanitize (normalise, redact PII), tokenize (characters or lower-cased words), vocabulary ids,
 * at most {@code maxLength} tokens, between boundary tokens: {@code <s> t_1 … t_n <s>} (the
 * closing boundary only when nothing was cut, so the model learns where texts really end).
 * Ids: 0 padding, 1 unknown, 2 the boundary, then the vocabulary's tokens.
 */
public final class LanguageModelEncoder implements RunEncoder {

    /** The boundary token: the start of every text, and its end when the text fits. */
    public static final String BOUNDARY = "<s>";
    private static final Set<String> NO_SPACE_BEFORE = Set.of(".", ",", "!", "?", ";", ":", "%", ")", "]", "}", "'");
    private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "{", "$", "#");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenLevel level;
    private final WordListVocabulary vocabulary;
    private final int maxLength;
    private final boolean sanitize;
    private final Tokenizer tokenizer;
    private final TrainingSanitizer sanitizer;

    private LanguageModelEncoder(TokenLevel level, WordListVocabulary vocabulary, int maxLength, boolean sanitize) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("max length must be >= 1, was " + maxLength);
        }
        if (vocabulary.id(BOUNDARY) != Vocabulary.UNKNOWN_ID + 1) {
            throw new IllegalArgumentException("the vocabulary's first token must be " + BOUNDARY);
        }
        this.level = level;
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
        this.sanitize = sanitize;
        this.sanitizer = new TrainingSanitizer(sanitize);
        this.tokenizer = level == TokenLevel.CHAR ? new CharTokenizer(false) : new WordTokenizer(true);
    }

    /** Characters from the fixed public character set. */
    public static LanguageModelEncoder characters(int maxLength, boolean sanitize) {
        return withTokens(TokenLevel.CHAR, PublicCharset.tokens(), maxLength, sanitize);
    }

    /** Lower-cased words from a public or DP-selected word list (the boundary token is added). */
    public static LanguageModelEncoder words(List<String> words, int maxLength, boolean sanitize) {
        return withTokens(TokenLevel.WORD, words, maxLength, sanitize);
    }

    /**
     * An encoder over the given tokens (characters, or lower-cased words), the boundary token added
     * before them; e.g. {@link #publicCharacters()} with more public characters.
     */
    public static LanguageModelEncoder of(TokenLevel level, List<String> tokens, int maxLength, boolean sanitize) {
        return withTokens(level, tokens, maxLength, sanitize);
    }

    /** The fixed public character set of {@link #characters}, in id order. */
    public static List<String> publicCharacters() {
        return PublicCharset.tokens();
    }

    private static LanguageModelEncoder withTokens(TokenLevel level, List<String> tokens, int maxLength,
            boolean sanitize) {
        List<String> all = new ArrayList<>();
        all.add(BOUNDARY);
        all.addAll(tokens);
        return new LanguageModelEncoder(level, WordListVocabulary.of(all), maxLength, sanitize);
    }

    public TokenLevel level() {
        return level;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Number of ids, reserved ones included: the model's vocabulary size. */
    public int vocabSize() {
        return vocabulary.size();
    }

    public int maxLength() {
        return maxLength;
    }

    public int boundaryId() {
        return Vocabulary.UNKNOWN_ID + 1;
    }

    /** The text as it is tokenized: normalised and PII-redacted unless sanitization is off. */
    public String clean(String text) {
        return sanitizer.clean(text);
    }

    /** What sanitization does here, as recorded in the audit log. */
    @Override
    public ObjectNode sanitizationConfig() {
        return sanitizer.toJson();
    }

    /** The tokenizer of this level (for DP vocabulary selection on sanitized text). */
    Tokenizer tokenizer() {
        return tokenizer;
    }

    /** {@code <s>}, the first {@code maxLength} token ids, and {@code <s>} if the text fitted. */
    public int[] encode(String text) {
        return idsOf(clean(text));
    }

    /** As {@link #encode} for text already cleaned by {@link #clean} (sanitized once, e.g. while counting). */
    public int[] encodeCleaned(String cleaned) {
        return idsOf(cleaned);
    }

    private int[] idsOf(String cleaned) {
        List<String> tokens = tokenizer.tokens(cleaned);
        boolean fits = tokens.size() <= maxLength;
        int[] ids = vocabulary.ids(fits ? tokens : tokens.subList(0, maxLength));
        int[] sequence = new int[ids.length + (fits ? 2 : 1)];
        sequence[0] = boundaryId();
        System.arraycopy(ids, 0, sequence, 1, ids.length);
        if (fits) {
            sequence[sequence.length - 1] = boundaryId();
        }
        return sequence;
    }

    /** A generation prompt: {@code <s>} and the prompt's token ids, no closing boundary. */
    public int[] encodePrompt(String prompt) {
        int[] ids = vocabulary.ids(tokenizer.tokens(clean(prompt)));
        int[] sequence = new int[ids.length + 1];
        sequence[0] = boundaryId();
        System.arraycopy(ids, 0, sequence, 1, ids.length);
        return sequence;
    }

    /**
     * Token ids back to text: characters concatenated; words joined by spaces except before
     * closing punctuation and after opening brackets. {@code afterText} says whether the result
     * continues earlier text (a word then starts with a space).
     */
    public String decode(int[] ids, boolean afterText) {
        StringBuilder text = new StringBuilder();
        String previous = afterText ? "" : null;
        for (int id : ids) {
            String token = tokenOf(id);
            if (level == TokenLevel.WORD && previous != null && !NO_SPACE_BEFORE.contains(token)
                    && !NO_SPACE_AFTER.contains(previous) && !token.startsWith("'")) {
                text.append(' ');
            }
            text.append(token);
            previous = token;
        }
        return text.toString();
    }

    private String tokenOf(int id) {
        if (id < 2 || id >= vocabulary.size()) {
            return id == Vocabulary.UNKNOWN_ID ? "<unk>" : "";
        }
        return id == boundaryId() ? "" : vocabulary.tokens().get(id - 2);
    }

    /** Encodes records (labels unused); a missing user id at user level is bad input naming its record. */
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
        return TrainingRecords.encode(records, withUsers, sanitizer, report, this::idsOf, record -> 0, 1);
    }

    @Override
    public void save(Path dir) throws IOException {
        VocabularyFiles.save(vocabulary, dir.resolve(RunFiles.VOCABULARY));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("token_level", level.id());
        map.put("max_length", maxLength);
        map.put("sanitize", sanitize);
        map.put("boundary", BOUNDARY);
        AtomicFile.writeString(dir.resolve(RunFiles.LM_ENCODER), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(map));
    }

    @SuppressWarnings("unchecked")
    static LanguageModelEncoder load(Path dir) throws IOException {
        Path file = dir.resolve(RunFiles.LM_ENCODER);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model must be a language-model run directory with " + RunFiles.LM_ENCODER
                    + ", was " + dir);
        }
        Map<String, Object> map = JSON.readValue(file.toFile(), Map.class);
        Vocabulary vocabulary = VocabularyFiles.load(dir.resolve(RunFiles.VOCABULARY));
        if (!(vocabulary instanceof WordListVocabulary words)) {
            throw new IllegalArgumentException("vocabulary of a language model must be a word list, was "
                    + vocabulary.getClass().getSimpleName());
        }
        return new LanguageModelEncoder(TokenLevel.parse((String) map.get("token_level")), words,
                ((Number) map.get("max_length")).intValue(), Boolean.TRUE.equals(map.get("sanitize")));
    }

    @Override
    public String toString() {
        return "LanguageModelEncoder" + Arrays.asList(level, vocabulary.size(), maxLength, sanitize);
    }
}
