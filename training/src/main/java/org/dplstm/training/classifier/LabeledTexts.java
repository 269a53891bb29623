package org.dplstm.training.classifier;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Map<BigDecimal, TextRecord> firstSpellingOfNumber = new HashMap<>();
        try (RecordReader reader = RecordReader.open(file, format, options)) {
            for (TextRecord record = reader.next(); record != null; record = reader.next()) {
                if (record.label() == null || record.label().isBlank()) {
                    throw new IllegalArgumentException(record.location() + ": the label field '"
                            + options.labelField() + "' is missing or empty");
                }
                checkOneSpellingPerNumber(record, firstSpellingOfNumber);
                records.add(record);
            }
        }
        return records;
    }

    /**
     * Labels are classes by their text, so {@code 1} and {@code 1.0} (or {@code 01}) would become
     * two classes of one number: bad input naming both spellings. (JSON's {@code 1} and {@code "1"}
     * read as the same text, one class.)
     */
    private static void checkOneSpellingPerNumber(TextRecord record, Map<BigDecimal, TextRecord> firstSpelling) {
        BigDecimal number;
        try {
            number = new BigDecimal(record.label().strip()).stripTrailingZeros();
        } catch (NumberFormatException notANumber) {
            return;
        }
        TextRecord first = firstSpelling.putIfAbsent(number, record);
        if (first != null && !first.label().equals(record.label())) {
            throw new IllegalArgumentException(record.location() + ": label '" + record.label()
                    + "' is the number of label '" + first.label() + "' (line " + first.line()
                    + ") spelled differently; spell each label one way, or they become two classes");
        }
    }
}
