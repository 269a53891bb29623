package org.dplstm.data.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes records in the format they were read in: every field in its original order, with the
 * record's (possibly changed) {@link TextRecord#text()} in place of the text field.
 */
public interface RecordWriter extends Closeable {

    void write(TextRecord record) throws IOException;

    /** Flushes buffered output (the stream itself stays open until {@link #close()}). */
    void flush() throws IOException;

    /**
     * A writer for {@code format} into {@code out}.
     *
     * @param fieldNames the CSV/TSV header (e.g. {@link RecordReader#fieldNames()}); unused for JSONL
     * @param textField the name of the field that receives {@link TextRecord#text()}
     */
    static RecordWriter create(OutputStream out, RecordFormat format, List<String> fieldNames, String textField)
            throws IOException {
        return switch (format) {
            case CSV, TSV -> new CsvRecordWriter(out, format, fieldNames, textField);
            case JSONL -> new JsonlRecordWriter(out, textField);
        };
    }
}
