package org.dplstm.data.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads JSON Lines: one JSON object per line; blank lines are ignored. */
final class JsonlRecordReader implements RecordReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Utf8LineReader lines;
    private final ErrorPolicy policy;
    private final ReadOptions options;

    JsonlRecordReader(InputStream in, String source, ReadOptions options) {
        this.lines = new Utf8LineReader(in, options.maxRecordBytes());
        this.policy = new ErrorPolicy(source, options.onError());
        this.options = options;
    }

    @Override
    public TextRecord next() throws IOException {
        Utf8LineReader.Line line;
        while ((line = lines.next()) != null) {
            if (!line.ok()) {
                policy.invalid(line.number(), line.problem(), line.detail());
                continue;
            }
            if (line.text().isBlank()) {
                continue;
            }
            TextRecord record = parse(line);
            if (record != null) {
                return record;
            }
        }
        return null;
    }

    private TextRecord parse(Utf8LineReader.Line line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line.text());
        } catch (JsonProcessingException e) {
            policy.invalid(line.number(), ReadProblem.MALFORMED, "invalid JSON: " + e.getOriginalMessage());
            return null;
        }
        if (node == null || !node.isObject()) {
            policy.invalid(line.number(), ReadProblem.MALFORMED, "not a JSON object");
            return null;
        }
        JsonNode text = node.get(options.textField());
        if (text == null || text.isNull()) {
            policy.invalid(line.number(), ReadProblem.MISSING_FIELD, "missing field '" + options.textField() + "'");
            return null;
        }
        if (!text.isTextual()) {
            policy.invalid(line.number(), ReadProblem.MALFORMED, "field '" + options.textField() + "' is not a string");
            return null;
        }
        String label = scalar(node, options.labelField(), line);
        if (options.labelField() != null && label == null) {
            return null;
        }
        String user = scalar(node, options.userField(), line);
        if (options.userField() != null && user == null) {
            return null;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.put(field.getKey(), field.getValue());
        }
        return new TextRecord(policy.source(), line.number(), text.asText(), label, user, fields);
    }

    /** The field as text (strings, numbers, booleans), or null after reporting it missing. */
    private String scalar(JsonNode node, String field, Utf8LineReader.Line line) {
        if (field == null) {
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            policy.invalid(line.number(), ReadProblem.MISSING_FIELD, "missing field '" + field + "'");
            return null;
        }
        if (!value.isValueNode()) {
            policy.invalid(line.number(), ReadProblem.MALFORMED, "field '" + field + "' is not a string or number");
            return null;
        }
        return value.asText();
    }

    @Override
    public List<String> fieldNames() {
        return List.of();
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
        lines.close();
    }
}
