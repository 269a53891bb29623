package org.dplstm.data.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One record of a text data set.
 *
 * @param source the file it came from (for error messages), never a path inside the text
 * @param line the 1-based line where the record starts in {@code source}
 * @param text the text field (the only field sanitization changes)
 * @param label the label field, or {@code null} when no label field was configured
 * @param user the user id field, or {@code null} when no user field was configured
 * @param fields every field of the record in input order, for pass-through: values are {@code
 *     String}s (CSV, text files) or Jackson {@code JsonNode}s (JSONL)
 */
public record TextRecord(String source, long line, String text, String label, String user, Map<String, Object> fields) {

    public TextRecord {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A record with only the text, label and user (e.g. synthetic data), fields in that order. */
    public static TextRecord of(String source, long line, String text, String label, String user) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("text", text);
        if (label != null) {
            fields.put("label", label);
        }
        if (user != null) {
            fields.put("user", user);
        }
        return new TextRecord(source, line, text, label, user, fields);
    }

    /** The same record with new text; writers put it in place of the text field. */
    public TextRecord withText(String newText) {
        return new TextRecord(source, line, newText, label, user, fields);
    }

    /** {@code file:line}, the prefix of every message about this record. */
    public String location() {
        return source + ":" + line;
    }
}
