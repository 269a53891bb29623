package org.dplstm.training.classifier;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Subword pieces of a public {@code tokenizer.json} (a HuggingFace tokenizers file: BPE or
 * WordPiece), run offline by DJL's binding (its native library ships in the jar). The file's
 * vocabulary is public (the project's own is built from public text by
 * {@code tools/tokenizer/train_tokenizer.py}), so it costs no privacy. Token id i of the file
 * becomes id i + 2 (0 padding, 1 unknown are reserved).
 */
final class SubwordTokenizer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] bytes;
    private final int pieces;
    private final HuggingFaceTokenizer tokenizer;

    private SubwordTokenizer(byte[] bytes, int pieces, HuggingFaceTokenizer tokenizer) {
        this.bytes = bytes;
        this.pieces = pieces;
        this.tokenizer = tokenizer;
    }

    /**
     * Reads and parses {@code file}; a file that cannot be read, or that is no tokenizer.json
     * with a vocabulary, is bad input naming it.
     */
    static SubwordTokenizer load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer file cannot be read: " + file + " (" + e + ")");
        }
        int pieces;
        try {
            JsonNode root = JSON.readTree(bytes);
            JsonNode vocab = root == null ? null : root.path("model").path("vocab");
            if (vocab == null || !vocab.isObject() || vocab.isEmpty()) {
                throw new IllegalArgumentException("tokenizer file " + file
                        + " must be a tokenizer.json with a model.vocab object (BPE or WordPiece)");
            }
            int largest = -1;
            for (JsonNode id : (Iterable<JsonNode>) vocab::elements) {
                largest = Math.max(largest, id.asInt());
            }
            for (JsonNode added : root.path("added_tokens")) {
                largest = Math.max(largest, added.path("id").asInt());
            }
            pieces = largest + 1;
        } catch (JsonProcessingException e) {
            // Jackson's own message adds a second line with its source location: one line, the position named
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("tokenizer file " + file + " is not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer file " + file + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        try {
            return new SubwordTokenizer(bytes, pieces,
                    HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), Map.of()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("tokenizer file " + file + " cannot be parsed by the tokenizers library: "
                    + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }

    /** Ids (padding and unknown reserved) including the file's pieces. */
    int vocabularySize() {
        return pieces + 2;
    }

    /** The pieces of {@code text} as ids in {@code [2, vocabularySize())}, no special tokens added. */
    int[] ids(String text) {
        long[] raw = tokenizer.encode(text, false, false).getIds();
        int[] ids = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            ids[i] = (int) raw[i] + 2;
        }
        return ids;
    }

    /** The file's SHA-256 (hex), as the audit log pins it. */
    String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** The exact file, as saved in a run directory. */
    byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
