package org.dplstm.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.SkipCounts;
import org.dplstm.data.io.TextFolderReader;
import org.dplstm.data.io.TextRecord;

/**
 * A data set held in memory for training: the records of a CSV, TSV or JSONL file or a text
 * folder, read with the same checks and error messages as {@code dplstm sanitize}.
 */
public final class LabeledTextDataset {
    private final List<TextRecord> records;
    private final SkipCounts skipped;

    private LabeledTextDataset(List<TextRecord> records, SkipCounts skipped) {
        this.records = Collections.unmodifiableList(records);
        this.skipped = skipped;
    }

    /** Wraps records already in memory (e.g. {@code SupportTickets.generate}). */
    public static LabeledTextDataset of(List<TextRecord> records) {
        return new LabeledTextDataset(new ArrayList<>(records), new SkipCounts());
    }

    /**
     * Loads a file (format from its extension unless {@code format} is given) or a folder of text
     * files (one labelled subfolder per class, one document per file).
     */
    public static LabeledTextDataset load(Path input, RecordFormat format, ReadOptions options) throws IOException {
        if (Files.isDirectory(input)) {
            return load(new TextFolderReader(input, TextFolderReader.Layout.FILE_PER_DOCUMENT, options));
        }
        RecordFormat resolved = format != null ? format : RecordFormat.fromExtension(input);
        return load(RecordReader.open(input, resolved, options));
    }

    /** Reads every record of {@code reader} and closes it. */
    public static LabeledTextDataset load(RecordReader reader) throws IOException {
        try (reader) {
            List<TextRecord> records = new ArrayList<>();
            TextRecord record;
            while ((record = reader.next()) != null) {
                records.add(record);
            }
            return new LabeledTextDataset(records, reader.skipped());
        }
    }

    public List<TextRecord> records() {
        return records;
    }

    public int size() {
        return records.size();
    }

    /** The distinct labels, sorted (records without a label are not counted). */
    public List<String> labels() {
        TreeSet<String> labels = new TreeSet<>();
        for (TextRecord record : records) {
            if (record.label() != null) {
                labels.add(record.label());
            }
        }
        return List.copyOf(labels);
    }

    /** Records the reader skipped as invalid (under {@code OnError.SKIP}). */
    public SkipCounts skipped() {
        return skipped;
    }
}
