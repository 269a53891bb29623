package org.dplstm.data.sanitize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a sanitization run did, in counts only: records in and out, records whose text changed,
 * records dropped per reason, and personal-data spans removed per type. It never holds a value
 * that was removed.
 */
public final class SanitizationReport {
    private long recordsIn;
    private long recordsOut;
    private long recordsChanged;
    private final Map<String, Long> dropped = new TreeMap<>();
    private final Map<String, Long> pii = new TreeMap<>();

    void countIn() {
        recordsIn++;
    }

    void countIn(long count) {
        recordsIn += count;
    }

    void countOut(boolean changed) {
        recordsOut++;
        if (changed) {
            recordsChanged++;
        }
    }

    void countDropped(String reason, long count) {
        if (count > 0) {
            dropped.merge(reason, count, Long::sum);
        }
    }

    void countPii(String type) {
        pii.merge(type, 1L, Long::sum);
    }

    /** Records read, including those the reader skipped as invalid. */
    public long recordsIn() {
        return recordsIn;
    }

    public long recordsOut() {
        return recordsOut;
    }

    /** Output records whose text differs from the input text. */
    public long recordsChanged() {
        return recordsChanged;
    }

    /** Dropped records per reason (e.g. {@code duplicate}, {@code user_cap}, {@code invalid_utf8}). */
    public Map<String, Long> dropped() {
        return Map.copyOf(dropped);
    }

    /** Redacted spans per type ({@code EMAIL}, {@code PHONE}, ... and custom detector names). */
    public Map<String, Long> pii() {
        return Map.copyOf(pii);
    }

    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode();
        node.put("records_in", recordsIn);
        node.put("records_out", recordsOut);
        node.put("records_changed", recordsChanged);
        ObjectNode droppedNode = node.putObject("dropped");
        dropped.forEach(droppedNode::put);
        ObjectNode piiNode = node.putObject("pii");
        for (PiiType type : PiiType.values()) {
            piiNode.put(type.name(), pii.getOrDefault(type.name(), 0L));
        }
        pii.forEach((type, count) -> {
            if (!piiNode.has(type)) {
                piiNode.put(type, count);
            }
        });
        return node;
    }

    /** Pretty-printed JSON. */
    public String toJsonString() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson()) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
