package org.dplstm.data.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** Writes CSV (RFC 4180, CRLF line ends) or TSV with a header row. */
final class CsvRecordWriter implements RecordWriter {
    private final CSVPrinter printer;
    private final List<String> header;
    private final String textField;

    CsvRecordWriter(OutputStream out, RecordFormat format, List<String> header, String textField) throws IOException {
        if (!header.contains(textField)) {
            throw new IllegalArgumentException("text field '" + textField + "' is not among the columns " + header);
        }
        this.header = List.copyOf(header);
        this.textField = textField;
        CSVFormat csv = (format == RecordFormat.TSV ? CSVFormat.TDF : CSVFormat.RFC4180).builder()
                .setHeader(header.toArray(new String[0]))
                .get();
        this.printer = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16), csv);
    }

    @Override
    public void write(TextRecord record) throws IOException {
        List<Object> values = new ArrayList<>(header.size());
        for (String name : header) {
            Object value = name.equals(textField) ? record.text() : record.fields().get(name);
            values.add(value == null ? "" : value.toString());
        }
        printer.printRecord(values);
    }

    @Override
    public void flush() throws IOException {
        printer.flush();
    }

    @Override
    public void close() throws IOException {
        printer.close();
    }
}
