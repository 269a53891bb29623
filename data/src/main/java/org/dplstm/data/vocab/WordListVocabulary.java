package org.dplstm.data.vocab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.TextFolderReader;
import org.dplstm.data.io.TextRecord;

/**
 * A fixed list of tokens with ids 2, 3, ... in list order (duplicates keep their first id). Use it
 * with a public word list, or with the output of {@link DpVocabularySelector}; never with a list
 * counted from private text.
 */
public final class WordListVocabulary implements Vocabulary {
    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();

    private WordListVocabulary(Collection<String> tokens) {
        List<String> unique = new ArrayList<>();
        for (String token : tokens) {
            if (!ids.containsKey(token)) {
                ids.put(token, unique.size() + 2);
                unique.add(token);
            }
        }
        this.tokens = List.copyOf(unique);
    }

    public static WordListVocabulary of(Collection<String> tokens) {
        return new WordListVocabulary(tokens);
    }

    /**
     * A UTF-8 file with one token per line; blank lines and lines starting with {@code #} are
     * skipped. A line that is not UTF-8 is bad input naming the file and the line.
     */
    public static WordListVocabulary fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("word list file does not exist: " + file);
        }
        List<String> tokens = new ArrayList<>();
        // the plain-text reader decodes each line strictly and reports "file:line: invalid UTF-8 ..."
        try (RecordReader lines = new TextFolderReader(file, TextFolderReader.Layout.LINE_PER_DOCUMENT,
                ReadOptions.builder().build())) {
            for (TextRecord line = lines.next(); line != null; line = lines.next()) {
                String token = line.text().strip();
                if (!token.isEmpty() && !token.startsWith("#")) {
                    tokens.add(token);
                }
            }
        }
        if (tokens.isEmpty()) {
            // every word would be unknown: a model that reads nothing but the unknown token
            throw new IllegalArgumentException("word list file " + file + " holds no words (only blank lines or #"
                    + " comments): give one word a line");
        }
        return new WordListVocabulary(tokens);
    }

    /** The tokens in id order (the token with id {@code i + 2} is at index {@code i}). */
    public List<String> tokens() {
        return tokens;
    }

    @Override
    public int size() {
        return tokens.size() + 2;
    }

    @Override
    public int id(String token) {
        return ids.getOrDefault(token, UNKNOWN_ID);
    }
}
