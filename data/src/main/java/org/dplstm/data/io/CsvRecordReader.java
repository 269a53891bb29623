package org.dplstm.data.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads CSV (RFC 4180) or TSV with a header row. Bytes are decoded line by line (so invalid
 * UTF-8 is pinned to its line); a record spanning a bad line (quoted newlines) is invalid.
 */
final class CsvRecordReader implements RecordReader {
    private final Utf8LineReader lines;
    private final ErrorPolicy policy;
    private final ReadOptions options;
    private final LinesAsReader reader;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private final int textIndex;
    private final int labelIndex;
    private final int userIndex;
    private long previousEndLine;

    CsvRecordReader(InputStream in, String source, RecordFormat format, ReadOptions options) throws IOException {
        this.lines = new Utf8LineReader(in, options.maxRecordBytes());
        this.policy = new ErrorPolicy(source, options.onError());
        this.options = options;
        this.reader = new LinesAsReader(lines);
        CSVFormat base = format == RecordFormat.TSV ? CSVFormat.TDF : CSVFormat.RFC4180;
        CSVFormat csv = base.builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(false)
                .get();
        try {
            this.parser = CSVParser.builder().setReader(reader).setFormat(csv).get();
        } catch (IllegalArgumentException | IOException e) {
            throw policy.fatal(1, ReadProblem.MALFORMED, "bad header row: " + e.getMessage());
        }
        Utf8LineReader.Line bad = reader.badLines.peekFirst();
        if (bad != null && bad.number() == 1) {
            throw policy.fatal(1, bad.problem(), "header row: " + bad.detail());
        }
        this.header = List.copyOf(parser.getHeaderNames());
        this.previousEndLine = 1;
        this.textIndex = requiredColumn(options.textField(), "text");
        this.labelIndex = options.labelField() == null ? -1 : requiredColumn(options.labelField(), "label");
        this.userIndex = options.userField() == null ? -1 : requiredColumn(options.userField(), "user");
        this.records = parser.iterator();
    }

    private int requiredColumn(String name, String role) {
        if (header.isEmpty()) {
            throw policy.fatal(1, ReadProblem.MISSING_FIELD, "no header row: the file is empty (a CSV file starts with"
                    + " a header naming its columns, such as " + name + ")");
        }
        int index = header.indexOf(name);
        if (index < 0) {
            throw policy.fatal(1, ReadProblem.MISSING_FIELD, "no " + role + " column '" + name
                    + "' in the header (columns: " + String.join(", ", header) + ")");
        }
        return index;
    }

    @Override
    public TextRecord next() throws IOException {
        while (true) {
            CSVRecord record;
            long endLine;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                endLine = parser.getCurrentLineNumber();
                record = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw policy.fatal(previousEndLine + 1, ReadProblem.MALFORMED, "malformed CSV: " + cause.getMessage());
            }
            long startLine = previousEndLine + 1;
            endLine = Math.max(endLine, startLine);
            previousEndLine = endLine;
            Utf8LineReader.Line bad = reader.firstBadLineUpTo(endLine);
            if (bad != null) {
                policy.invalid(bad.number(), bad.problem(), bad.detail());
                continue;
            }
            TextRecord parsed = toRecord(record, startLine);
            if (parsed != null) {
                return parsed;
            }
        }
    }

    private TextRecord toRecord(CSVRecord record, long line) {
        int size = record.size();
        if (size != header.size()) {
            int needed = Math.max(textIndex, Math.max(labelIndex, userIndex));
            if (size <= needed) {
                String missing = size <= textIndex ? options.textField()
                        : size <= labelIndex ? options.labelField() : options.userField();
                policy.invalid(line, ReadProblem.MISSING_FIELD, "missing field '" + missing + "' (record has "
                        + size + " fields, header has " + header.size() + ")");
            } else {
                policy.invalid(line, ReadProblem.MALFORMED, "record has " + size + " fields, header has " + header.size());
            }
            return null;
        }
        String text = record.get(textIndex);
        if (text.length() > options.maxRecordBytes()) {
            policy.invalid(line, ReadProblem.TOO_LONG, "text longer than " + options.maxRecordBytes() + " characters");
            return null;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            fields.put(header.get(i), record.get(i));
        }
        return new TextRecord(policy.source(), line, text,
                labelIndex < 0 ? null : record.get(labelIndex),
                userIndex < 0 ? null : record.get(userIndex),
                fields);
    }

    @Override
    public List<String> fieldNames() {
        return header;
    }

    @Override
    public SkipCounts skipped() {
        return policy.skipped();
    }

    @Override
    public long bytesRead() {
        return lines.bytesRead();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /**
     * Presents decoded lines as one character stream for the CSV parser, each followed by
     * {@code \n}; an unreadable line is replaced and remembered, so the record
     * that spans it can be rejected with the right line number.
     */
    private static final class LinesAsReader extends Reader {
        private final Utf8LineReader lines;
        private final ArrayDeque<Utf8LineReader.Line> badLines = new ArrayDeque<>();
        private String current = "";
        private int position;
        private boolean ended;

        LinesAsReader(Utf8LineReader lines) {
            this.lines = lines;
        }

        Utf8LineReader.Line firstBadLineUpTo(long lineNumber) {
            Utf8LineReader.Line first = null;
            while (!badLines.isEmpty() && badLines.peekFirst().number() <= lineNumber) {
                Utf8LineReader.Line line = badLines.pollFirst();
                if (first == null) {
                    first = line;
                }
            }
            return first;
        }

        @Override
        public int read(char[] target, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (position >= current.length()) {
                if (ended) {
                    return -1;
                }
                Utf8LineReader.Line line = lines.next();
                if (line == null) {
                    ended = true;
                    return -1;
                }
                if (!line.ok()) {
                    badLines.addLast(line);
                }
                // An unreadable line becomes one replacement character (not an empty line, which
                // the parser would drop), so it always lands in a record that is then rejected.
                current = (line.ok() ? line.text() : "\uFFFD") + "\n";
                position = 0;
            }
            int n = Math.min(length, current.length() - position);
            current.getChars(position, position + n, target, offset);
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

}
