package org.dplstm.data.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.data.files.AtomicFile;

/**
 * Saves and loads vocabularies as JSON (a model needs its vocabulary at prediction time):
 * {@code {"type":"hashing","hash":"fnv1a32-utf8","buckets":N}} or
 * {@code {"type":"word_list","tokens":[...]}} (ids 2, 3, ... in order) or
 * {@code {"type":"public_chars","version":1,"buckets":N}} ({@link PublicCharacterVocabulary}).
 */
public final class VocabularyFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HASH_ID = "fnv1a32-utf8";

    private VocabularyFiles() {}

    public static void save(Vocabulary vocabulary, Path file) throws IOException {
        ObjectNode node = MAPPER.createObjectNode();
        if (vocabulary instanceof HashingVocabulary hashing) {
            node.put("type", "hashing");
            node.put("hash", HASH_ID);
            node.put("buckets", hashing.buckets());
        } else if (vocabulary instanceof PublicCharacterVocabulary chars) {
            node.put("type", "public_chars");
            node.put("version", PublicCharacterVocabulary.VERSION);
            node.put("buckets", chars.buckets());
        } else if (vocabulary instanceof WordListVocabulary words) {
            node.put("type", "word_list");
            ArrayNode tokens = node.putArray("tokens");
            words.tokens().forEach(tokens::add);
        } else {
            throw new IllegalArgumentException("cannot save a vocabulary of type " + vocabulary.getClass().getName());
        }
        AtomicFile.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    public static Vocabulary load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("vocabulary file does not exist: " + file);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("vocabulary file " + file + " is not valid JSON: " + e.getOriginalMessage());
        }
        String type = node.path("type").asText("");
        switch (type) {
            case "hashing" -> {
                if (!HASH_ID.equals(node.path("hash").asText())) {
                    throw new IllegalArgumentException("vocabulary file " + file + ": hash must be " + HASH_ID
                            + ", was " + node.path("hash").asText());
                }
                return new HashingVocabulary(node.path("buckets").asInt(0));
            }
            case "public_chars" -> {
                if (node.path("version").asInt(-1) != PublicCharacterVocabulary.VERSION) {
                    throw new IllegalArgumentException("vocabulary file " + file + ": public character set version must be "
                            + PublicCharacterVocabulary.VERSION + ", was " + node.path("version"));
                }
                return new PublicCharacterVocabulary(node.path("buckets").asInt(0));
            }
            case "word_list" -> {
                List<String> tokens = new ArrayList<>();
                node.path("tokens").forEach(t -> tokens.add(t.asText()));
                return WordListVocabulary.of(tokens);
            }
            default -> throw new IllegalArgumentException("vocabulary file " + file
                    + ": type must be hashing, public_chars or word_list, was " + type);
        }
    }
}
