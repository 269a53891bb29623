package org.dplstm.audit.log;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
     * Whether {@code content} could be a chained file: its first line bears a record's mark, beginning
     * as every line does ({@code {"seq":}) or ending with a {@code "hash"} member; a first line cut
     * off before its newline needs only to begin as a line does, as far as it goes. A damaged or
     * edited record keeps a mark (one changed byte cannot touch both ends), so only a file of other
     * data (CSV, JSON Lines, text, binary) is refused. Empty content has no line to judge: true.
     */
    public static boolean beginsLikeChain(byte[] content) {
        int newline = 0;
        while (newline < content.length && content[newline] != '\n') {
            newline++;
        }
        byte[] first = Arrays.copyOf(content, newline);
        int compared = Math.min(first.length, RECORD_START.length);
        boolean startsAsRecord = Arrays.equals(first, 0, compared, RECORD_START, 0, compared);
        if (newline == content.length) {
            return startsAsRecord; // a torn first line (or none): only its start is there to judge
        }
        return (startsAsRecord && first.length >= RECORD_START.length) || canonicalBytes(first) != null;
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
