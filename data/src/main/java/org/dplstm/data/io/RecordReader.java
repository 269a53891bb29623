package org.dplstm.data.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Streams the records of one input, one at a time, in bounded memory. An invalid record throws
 * {@link InvalidRecordException} ({@code file:line: problem}) or is skipped and counted,
 * depending on {@link ReadOptions#onError()}.
 */
public interface RecordReader extends Closeable {

    /** The next valid record, or {@code null} at the end of the input. */
    TextRecord next() throws IOException;

    /** The field names of every record, in order, when the format has a header (CSV/TSV); else empty. */
    List<String> fieldNames();

    /** The records skipped so far under {@link OnError#SKIP}, per problem. */
    SkipCounts skipped();

    /** Input bytes consumed so far (for progress bars). */
    long bytesRead();

    /** Opens a CSV, TSV or JSONL file. */
    static RecordReader open(Path file, RecordFormat format, ReadOptions options) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("input file does not exist or is not a file: " + file);
        }
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("input file does not exist: " + file, e);
        }
        String source = file.toString();
        return switch (format) {
            case CSV, TSV -> new CsvRecordReader(in, source, format, options);
            case JSONL -> new JsonlRecordReader(in, source, options);
        };
    }
}
