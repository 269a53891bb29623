package org.dplstm.audit.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads a chained file line by line and checks each line's hash, {@code seq} and {@code prev}. */
public final class ChainScanner {

    private ChainScanner() {}

    public static ChainScan scan(Path file, LineHasher hasher) throws IOException {
        return scan(Files.readAllBytes(file), hasher);
    }

    public static ChainScan scan(byte[] content, LineHasher hasher) {
        List<ObjectNode> events = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        int start = 0;
        long lineNumber = 0;
        while (start < content.length) {
            int newline = indexOf(content, (byte) '\n', start);
            lineNumber++;
            if (newline < 0) {
                byte[] torn = Arrays.copyOfRange(content, start, content.length);
                TornTail tail = new TornTail(lineNumber, start, torn.length, LineHasher.sha256Hex(torn));
                return new ChainScan(events, hashes, start, Optional.empty(), Optional.of(tail));
            }
            byte[] line = Arrays.copyOfRange(content, start, newline);
            String expectedPrev = hashes.isEmpty() ? ChainedLines.GENESIS : hashes.get(hashes.size() - 1);
            ChainProblem problem = check(line, lineNumber, expectedPrev, hasher);
            if (problem != null) {
                return new ChainScan(events, hashes, start, Optional.of(problem), Optional.empty());
            }
            try {
                events.add((ObjectNode) ChainedLines.parse(line));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("line parsed once, not twice", e);
            }
            hashes.add(ChainedLines.writtenHash(line));
            start = newline + 1;
        }
        return new ChainScan(events, hashes, start, Optional.empty(), Optional.empty());
    }

    private static ChainProblem check(byte[] line, long lineNumber, String expectedPrev, LineHasher hasher) {
        if (line.length == 0) {
            return tampered(lineNumber, "empty line");
        }
        byte[] canonical = ChainedLines.canonicalBytes(line);
        if (canonical == null) {
            return tampered(lineNumber, "malformed: does not end with a \"hash\" member");
        }
        JsonNode node;
        try {
            node = ChainedLines.parse(line);
        } catch (JsonProcessingException e) {
            return tampered(lineNumber, "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!node.isObject()) {
            return tampered(lineNumber, "not a JSON object");
        }
        String algorithm = node.path("alg").asText("");
        if (!algorithm.equals(hasher.algorithm())) {
            if (algorithm.equals(LineHasher.HMAC_SHA_256)) {
                return new ChainProblem(ChainProblem.Kind.KEY_REQUIRED, lineNumber,
                        "line is HMAC-keyed (alg hmac-sha256): give --key-file F or set "
                                + AuditKey.ENVIRONMENT_VARIABLE + " to check it");
            }
            if (algorithm.equals(LineHasher.SHA_256)) {
                return tampered(lineNumber, "line is unkeyed (alg sha256) but a key was given: "
                        + "a keyed log rewritten without the key, or not the log this key belongs to");
            }
            return tampered(lineNumber, "unknown alg '" + algorithm + "', expected " + hasher.algorithm());
        }
        if (!hasher.hash(canonical).equals(ChainedLines.writtenHash(line))) {
            return tampered(lineNumber, hasher.keyed()
                    ? "HMAC mismatch: the line was modified (or the key is wrong)"
                    : "hash mismatch: the line was modified");
        }
        String prev = node.path("prev").asText("");
        if (lineNumber == 1 && !prev.equals(ChainedLines.GENESIS)) {
            return tampered(lineNumber, "prev is not the genesis value: the head of the log is missing");
        }
        JsonNode seq = node.get("seq");
        if (seq == null || !seq.canConvertToExactIntegral() || seq.asLong() != lineNumber) {
            return tampered(lineNumber, "seq is " + seq + ", expected " + lineNumber
                    + ": a line was inserted, deleted, duplicated or reordered");
        }
        if (!prev.equals(expectedPrev)) {
            return tampered(lineNumber, "prev does not match the hash of line " + (lineNumber - 1)
                    + ": the chain is broken");
        }
        return null;
    }

    private static ChainProblem tampered(long lineNumber, String message) {
        return new ChainProblem(ChainProblem.Kind.TAMPERED, lineNumber, message);
    }

    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
