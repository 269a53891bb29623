package org.dplstm.training.classifier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.TextRecord;

/** Reads every record of a CSV, TSV or JSONL file (format from the extension) into memory. */
public final class LabeledTexts {

    private LabeledTexts() {}

    /** Invalid input (bad UTF-8, a missing field) throws with the file and line. */
    public static List<TextRecord> read(Path file, ReadOptions options) throws IOException {
        RecordFormat format = RecordFormat.fromExtension(file);
        List<TextRecord> records = new ArrayList<>();
        try (RecordReader reader = RecordReader.open(file, format, options)) {
            for (TextRecord record = reader.next(); record != null; record = reader.next()) {
                if (record.label() == null || record.label().isBlank()) {
                    throw new IllegalArgumentException(record.location() + ": the label field '"
                            + options.labelField() + "' is missing or empty");
                }
                records.add(record);
            }
        }
        return records;
    }
}
