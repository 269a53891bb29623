package org.dplstm.data.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes JSON Lines: one object per record, fields in their original order and JSON types. */
final class JsonlRecordWriter implements RecordWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Writer out;
    private final String textField;

    JsonlRecordWriter(OutputStream out, String textField) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        this.textField = textField;
    }

    @Override
    public void write(TextRecord record) throws IOException {
        ObjectNode node = MAPPER.createObjectNode();
        boolean wroteText = false;
        for (Map.Entry<String, Object> field : record.fields().entrySet()) {
            if (field.getKey().equals(textField)) {
                node.put(textField, record.text());
                wroteText = true;
            } else if (field.getValue() instanceof JsonNode json) {
                node.set(field.getKey(), json);
            } else {
                node.put(field.getKey(), field.getValue() == null ? null : field.getValue().toString());
            }
        }
        if (!wroteText) {
            node.put(textField, record.text());
        }
        out.write(MAPPER.writeValueAsString(node));
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
