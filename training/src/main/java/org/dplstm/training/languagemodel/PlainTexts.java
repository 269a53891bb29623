package org.dplstm.training.languagemodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.TextFolderReader;
import org.dplstm.data.io.TextRecord;

/**
 * Reads the documents of a language-model corpus into memory: a plain-text file ({@code .txt},
 * one document a non-blank line), a folder of such files, or a CSV, TSV or JSONL file with a text
 * field. Invalid input (bad UTF-8, a missing field) throws with the file and line.
 */
public final class PlainTexts {

    private PlainTexts() {}

    public static List<TextRecord> read(Path input, ReadOptions options) throws IOException {
        List<TextRecord> records = new ArrayList<>();
        try (RecordReader reader = open(input, options)) {
            for (TextRecord record = reader.next(); record != null; record = reader.next()) {
                records.add(record);
            }
        }
        return records;
    }

    private static RecordReader open(Path input, ReadOptions options) throws IOException {
        if (isPlainText(input)) {
            return new TextFolderReader(input, TextFolderReader.Layout.LINE_PER_DOCUMENT, options);
        }
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("input does not exist: " + input);
        }
        return RecordReader.open(input, RecordFormat.fromExtension(input,
                "; or .txt (or .text) for plain text, one document a line; or be a folder of such files"), options);
    }

    /** Whether {@link #read} reads {@code input} as plain text (a .txt/.text file or a folder), which has no fields. */
    public static boolean isPlainText(Path input) {
        return Files.isDirectory(input) || (Files.isRegularFile(input) && hasPlainTextName(input));
    }

    private static boolean hasPlainTextName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".txt") || name.endsWith(".text");
    }
}
