package org.dplstm.training.seq2seq;

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
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.data.vocab.VocabularyFiles;
import org.dplstm.data.vocab.WordListVocabulary;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.session.RunEncoder;
import org.dplstm.training.session.TrainingSanitizer;

/**
 * Text pairs to token ids and back for an encoder-decoder, the same way at training and
 * translation time: each side sanitized (normalised, PII redacted) and tokenized by a {@link
 * LanguageModelEncoder} of its own (characters or words, at most {@code maxLength} tokens between
 * boundary tokens, {@code <s> t_1 … t_n <s>}). A record's text is the source and its label the
 * target. The DP-SGD loop's data set holds one id sequence per example, so a pair is stored packed
 * (source ids, then target ids) with the source length as its label ({@link
 * org.dplstm.training.model.PairBatch}).
 *
 * <p>Character level uses the public character set of language models plus the Latin-1 letters
 * and quotation marks of European languages ({@link #characters()}): public by construction, so
 * German or French targets are spelled without unknown tokens and without any privacy cost.
 */
public final class PairEncoder implements RunEncoder {

    /** Latin-1 letters (À–ÿ without × and ÷), German and French quotation marks, the euro sign. */
    private static final String LATIN_CHARACTERS = latinLetters() + "\u201E\u201A\u00AB\u00BB\u2039\u203A\u20AC";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LanguageModelEncoder source;
    private final LanguageModelEncoder target;
    private final boolean sanitize;
    private final TrainingSanitizer sanitizer;

    private PairEncoder(LanguageModelEncoder source, LanguageModelEncoder target, boolean sanitize) {
        this.source = source;
        this.target = target;
        this.sanitize = sanitize;
        this.sanitizer = new TrainingSanitizer(sanitize);
    }

    /**
     * Both sides' encoders (each of {@code maxLength} tokens), sanitizing as {@code sanitize} says.
     * A side's token level and vocabulary are its own.
     */
    public static PairEncoder of(LanguageModelEncoder source, LanguageModelEncoder target, boolean sanitize) {
        if (source.maxLength() != target.maxLength()) {
            throw new IllegalArgumentException("source and target max length must be equal, were "
                    + source.maxLength() + " and " + target.maxLength());
        }
        return new PairEncoder(source, target, sanitize);
    }

    /** The character set of character-level sides: the language models' public set, then {@link #LATIN_CHARACTERS}. */
    public static List<String> characters() {
        List<String> characters = new ArrayList<>(LanguageModelEncoder.publicCharacters());
        LATIN_CHARACTERS.codePoints().forEach(c -> characters.add(new String(Character.toChars(c))));
        return characters;
    }

    /** An encoder of one side at character level over {@link #characters()}. */
    public static LanguageModelEncoder characterSide(int maxLength, boolean sanitize) {
        return LanguageModelEncoder.of(TokenLevel.CHAR, characters(), maxLength, sanitize);
    }

    private static String latinLetters() {
        StringBuilder letters = new StringBuilder();
        for (char c = '\u00C0'; c <= '\u00FF'; c++) {
            if (c != '\u00D7' && c != '\u00F7') {
                letters.append(c);
            }
        }
        return letters.toString();
    }

    public LanguageModelEncoder source() {
        return source;
    }

    public LanguageModelEncoder target() {
        return target;
    }

    public int maxLength() {
        return source.maxLength();
    }

    /** {@code <s>}, the source's first max-length token ids, and {@code <s>} if it fitted. */
    public int[] encodeSource(String text) {
        return source.encode(text);
    }

    /** The target text of generated ids (boundaries and padding are not written; the unknown token is {@code <unk>}). */
    public String decodeTarget(int[] ids) {
        return target.decode(Arrays.stream(ids).filter(id -> id != target.boundaryId()).toArray(), false);
    }

    /** The end-of-text token the decoder stops at (also its first input). */
    public int targetBoundaryId() {
        return target.boundaryId();
    }

    /** Packed pairs: a record's text is its source, its label its target (never null). */
    @Override
    public EncodedDataset encode(List<TextRecord> records, boolean withUsers) {
        return encode(records, withUsers, null);
    }

    /** As {@link #encode(List, boolean)}, counting what sanitization changed in {@code report} (counts only). */
    @Override
    public EncodedDataset encode(List<TextRecord> records, boolean withUsers, SanitizationReport report) {
        int[][] tokens = new int[records.size()][];
        int[] sourceLengths = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            TextRecord record = records.get(i);
            if (record.label() == null) {
                throw new IllegalArgumentException(record.location() + ": a pair needs a target, had none");
            }
            int[] sourceIds = source.encodeCleaned(sanitizer.clean(record.text(), report));
            int[] targetIds = target.encodeCleaned(sanitizer.clean(record.label(), report));
            tokens[i] = Arrays.copyOf(sourceIds, sourceIds.length + targetIds.length);
            System.arraycopy(targetIds, 0, tokens[i], sourceIds.length, targetIds.length);
            sourceLengths[i] = sourceIds.length;
        }
        // labels (source lengths) are at most maxLength + 2: <s>, the tokens, <s>
        return EncodedDataset.of(tokens, sourceLengths, withUsers ? RunEncoder.userIds(records) : null,
                maxLength() + 3);
    }

    /** A packed example's source ids (with their boundaries). */
    public static int[] sourceOf(EncodedDataset data, int example) {
        return Arrays.copyOf(data.tokensAt(example), data.labelOf(example));
    }

    /** A packed example's target ids (with their boundaries). */
    public static int[] targetOf(EncodedDataset data, int example) {
        int[] tokens = data.tokensAt(example);
        return Arrays.copyOfRange(tokens, data.labelOf(example), tokens.length);
    }

    @Override
    public ObjectNode sanitizationConfig() {
        return sanitizer.toJson();
    }

    @Override
    public void save(Path dir) throws IOException {
        VocabularyFiles.save(source.vocabulary(), dir.resolve(RunFiles.SOURCE_VOCABULARY));
        VocabularyFiles.save(target.vocabulary(), dir.resolve(RunFiles.TARGET_VOCABULARY));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("source_token_level", source.level().id());
        map.put("target_token_level", target.level().id());
        map.put("max_length", maxLength());
        map.put("sanitize", sanitize);
        map.put("boundary", LanguageModelEncoder.BOUNDARY);
        AtomicFile.writeString(dir.resolve(RunFiles.SEQ2SEQ_ENCODER), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(map));
    }

    /** Reads the encoder of a seq2seq run directory; bad input when it has none. */
    @SuppressWarnings("unchecked")
    public static PairEncoder load(Path dir) throws IOException {
        Path file = dir.resolve(RunFiles.SEQ2SEQ_ENCODER);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model must be a seq2seq run directory with " + RunFiles.SEQ2SEQ_ENCODER + ", was " + dir);
        }
        Map<String, Object> map = JSON.readValue(file.toFile(), Map.class);
        int maxLength = ((Number) map.get("max_length")).intValue();
        boolean sanitize = Boolean.TRUE.equals(map.get("sanitize"));
        LanguageModelEncoder source = side(dir.resolve(RunFiles.SOURCE_VOCABULARY), (String) map.get("source_token_level"),
                maxLength, sanitize);
        LanguageModelEncoder target = side(dir.resolve(RunFiles.TARGET_VOCABULARY), (String) map.get("target_token_level"),
                maxLength, sanitize);
        return new PairEncoder(source, target, sanitize);
    }

    private static LanguageModelEncoder side(Path vocabularyFile, String level, int maxLength, boolean sanitize)
            throws IOException {
        Vocabulary vocabulary = VocabularyFiles.load(vocabularyFile);
        if (!(vocabulary instanceof WordListVocabulary words)) {
            throw new IllegalArgumentException("vocabulary " + vocabularyFile + " must be a word list, was "
                    + vocabulary.getClass().getSimpleName());
        }
        List<String> tokens = words.tokens();
        // the saved list starts with the boundary token, which the encoder adds itself
        return LanguageModelEncoder.of(TokenLevel.parse(level), tokens.subList(1, tokens.size()), maxLength, sanitize);
    }
}
