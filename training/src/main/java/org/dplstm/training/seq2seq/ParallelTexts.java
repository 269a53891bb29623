package org.dplstm.training.seq2seq;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.TextRecord;

/**
 * Reads the pairs of a parallel corpus into memory: a JSONL, CSV or TSV file whose records have a
 * source and a target field (and a user field at user level). Each record's text is its source
 * and its label its target. A missing field or an empty target is bad input naming the file and
 * line.
 */
public final class ParallelTexts {

    private ParallelTexts() {}

    public static List<TextRecord> read(Path file, String sourceField, String targetField, String userField)
            throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("input does not exist: " + file);
        }
        ReadOptions options = ReadOptions.builder().optTextField(sourceField).optLabelField(targetField)
                .optUserField(userField).build();
        List<TextRecord> records = new ArrayList<>();
        try (RecordReader reader = RecordReader.open(file, RecordFormat.fromExtension(file), options)) {
            for (TextRecord record = reader.next(); record != null; record = reader.next()) {
                if (record.label() == null || record.label().isBlank()) {
                    throw new IllegalArgumentException(record.location() + ": the target field '" + targetField
                            + "' is empty (a pair needs a target)");
                }
                records.add(record);
            }
        }
        return records;
    }
}
