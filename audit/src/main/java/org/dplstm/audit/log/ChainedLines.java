package org.dplstm.audit.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The line format shared by the audit log and the ledger: one compact JSON object per line,
 * ending with {@code "prev"} (hash of the previous line, {@link #GENESIS} for the first) and
 * {@code "hash"}.
 *
 * <p><b>Canonical form.</b> A line's hash covers its canonical bytes: the UTF-8 bytes of the line
 * exactly as written, without the trailing newline and with its final member
 * {@code ,"hash":"<64 hex>"} removed. Equivalently, at write time: the compact Jackson
 * serialisation of the object without {@code hash}, keys in insertion order. Working on raw bytes
 * (not a re-serialisation) means every changed byte, even one that parses to the same value,
 * changes the hash.
 */
public final class ChainedLines {

    /** {@code prev} of a chain's first line. */
    public static final String GENESIS = "0".repeat(64);

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** How every line begins: {@code seq} is the first member written. */
    private static final byte[] RECORD_START = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final String HASH_MEMBER_PREFIX = ",\"hash\":\"";
    private static final int HASH_SUFFIX_LENGTH = HASH_MEMBER_PREFIX.length() + 64 + 2;
    private static final Pattern HASH_SUFFIX = Pattern.compile(",\"hash\":\"[0-9a-f]{64}\"}$");

    private ChainedLines() {}

    /** A fresh object mapper configured as the chain reads lines (duplicate keys rejected). */
    public static ObjectMapper mapper() {
        return JSON;
    }

    /**
     * Serialises {@code body} (which must not hold {@code hash}, and must end with {@code prev}),
     * hashes its canonical bytes and returns the complete line without the newline.
     */
    static SealedLine seal(ObjectNode body, LineHasher hasher) {
        if (body.has("hash")) {
            throw new IllegalArgumentException("event body must not hold a hash member");
        }
        String canonical;
        try {
            canonical = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise audit event", e);
        }
        String hash = hasher.hash(canonical.getBytes(StandardCharsets.UTF_8));
        String line = canonical.substring(0, canonical.length() - 1) + HASH_MEMBER_PREFIX + hash + "\"}";
        return new SealedLine(line, hash);
    }

    /** A line and its hash. */
    record SealedLine(String line, String hash) {}

    /** The canonical bytes of a complete line, or null when it does not end with a hash member. */
    static byte[] canonicalBytes(byte[] line) {
        String text = new String(line, StandardCharsets.UTF_8);
        if (!HASH_SUFFIX.matcher(text).find()) {
            return null;
        }
        byte[] canonical = Arrays.copyOf(line, line.length - HASH_SUFFIX_LENGTH + 1);
        canonical[canonical.length - 1] = '}';
        return canonical;
    }

    /**
     * Whether any line of {@code content} bears a log record's mark: it begins as every record does
     * ({@code {"seq":}) or ends with a {@code "hash"} member, or it is the last line, cut off before
     * its newline, and begins as a record does as far as it goes. An edited, damaged or truncated log
     * keeps such a line unless every line was replaced, so only a file of other data (CSV, JSON
     * Lines, text, binary) has none. Empty content has no line to judge: true. Reads the stream once,
     * keeping only each line's first and last bytes.
     */
    public static boolean anyLineBearsRecordMark(InputStream content) throws IOException {
        byte[] head = new byte[RECORD_START.length];
        byte[] tail = new byte[HASH_SUFFIX_LENGTH]; // a ring of the line's last bytes
        int headLength = 0;
        long lineLength = 0;
        boolean empty = true;
        for (int b = content.read(); b != -1; b = content.read()) {
            empty = false;
            if (b == '\n') {
                if (bearsMark(head, headLength, tail, lineLength)) {
                    return true;
                }
                headLength = 0;
                lineLength = 0;
                continue;
            }
            if (headLength < head.length) {
                head[headLength++] = (byte) b;
            }
            tail[(int) (lineLength++ % tail.length)] = (byte) b;
        }
        return empty || lineLength > 0 && (bearsMark(head, headLength, tail, lineLength)
                || Arrays.equals(head, 0, headLength, RECORD_START, 0, headLength));
    }

    private static boolean bearsMark(byte[] head, int headLength, byte[] tail, long lineLength) {
        if (headLength == RECORD_START.length && Arrays.equals(head, RECORD_START)) {
            return true;
        }
        if (lineLength < tail.length) {
            return false;
        }
        int oldest = (int) (lineLength % tail.length);
        byte[] last = new byte[tail.length];
        System.arraycopy(tail, oldest, last, 0, tail.length - oldest);
        System.arraycopy(tail, 0, last, tail.length - oldest, oldest);
        return HASH_SUFFIX.matcher(new String(last, StandardCharsets.ISO_8859_1)).find();
    }

    /** The hash written in a complete line's suffix (caller checked the suffix). */
    static String writtenHash(byte[] line) {
        return new String(line, line.length - HASH_SUFFIX_LENGTH + HASH_MEMBER_PREFIX.length(), 64,
                StandardCharsets.US_ASCII);
    }

    static JsonNode parse(byte[] line) throws JsonProcessingException {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
