package org.dplstm.audit.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Appends chained lines to a file, one {@code write} and one {@code fsync} per line, so that a
 * crash leaves at most one torn line at the end. The caller has scanned the file and holds
 * whatever lock keeps other writers out.
 */
public final class ChainWriter implements Closeable {

    /** Members every line carries; events may not use these names for their own fields. */
    public static final Set<String> RESERVED = Set.of("seq", "time", "type", "alg", "prev", "hash");

    /** Event type recorded when a torn last line is cut off before appending. */
    public static final String TORN_TAIL_REPAIRED = "torn_tail_repaired";

    private final FileChannel channel;
    private final LineHasher hasher;
    private final Clock clock;
    private long nextSeq;
    private String prevHash;

    private ChainWriter(FileChannel channel, LineHasher hasher, Clock clock, long nextSeq, String prevHash) {
        this.channel = channel;
        this.hasher = hasher;
        this.clock = clock;
        this.nextSeq = nextSeq;
        this.prevHash = prevHash;
    }

    /**
     * Opens {@code file} (created if missing) to continue the chain {@code scan} verified. A torn
     * last line is cut off and recorded as a {@value #TORN_TAIL_REPAIRED} event holding its
     * length and SHA-256, never dropped silently.
     *
     * @throws IllegalStateException if the scan found a problem: a damaged chain is never extended
     */
    public static ChainWriter continueChain(Path file, ChainScan scan, LineHasher hasher, Clock clock)
            throws IOException {
        if (scan.problem().isPresent()) {
            throw new IllegalStateException("refusing to append to " + file + ", which does not verify: "
                    + scan.problem().get());
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            ChainWriter writer = new ChainWriter(channel, hasher, clock, scan.events().size() + 1L, scan.lastHash());
            if (scan.tornTail().isPresent()) {
                TornTail torn = scan.tornTail().get();
                channel.truncate(torn.offset());
                channel.force(true);
                ObjectNode fields = ChainedLines.JSON.createObjectNode();
                fields.put("torn_line", torn.lineNumber());
                fields.put("torn_bytes", torn.length());
                fields.put("torn_sha256", torn.sha256());
                writer.append(TORN_TAIL_REPAIRED, fields);
            }
            channel.position(channel.size());
            return writer;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Appends one event and forces it to disk before returning.
     *
     * @return the new line's hash
     */
    public synchronized String append(String type, ObjectNode fields) throws IOException {
        ObjectNode body = ChainedLines.JSON.createObjectNode();
        body.put("seq", nextSeq);
        body.put("time", Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString());
        body.put("type", type);
        body.put("alg", hasher.algorithm());
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> field = it.next();
            if (RESERVED.contains(field.getKey())) {
                throw new IllegalArgumentException("event field name must not be one of " + RESERVED
                        + ", was " + field.getKey());
            }
            body.set(field.getKey(), field.getValue());
        }
        body.put("prev", prevHash);
        ChainedLines.SealedLine sealed = ChainedLines.seal(body, hasher);
        ByteBuffer bytes = ByteBuffer.wrap((sealed.line() + "\n").getBytes(StandardCharsets.UTF_8));
        long end = channel.size();
        channel.position(end);
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            // A write that failed (a full disk) must not leave half a line: this writer's own
            // bytes are cut back off, so the file stays as it was before the call.
            try {
                channel.truncate(end);
                channel.force(false);
            } catch (IOException cannotUndo) {
                e.addSuppressed(cannotUndo);
            }
            throw e;
        }
        nextSeq++;
        prevHash = sealed.hash();
        return sealed.hash();
    }

    /** Hash of the last line written or continued from. */
    public synchronized String lastHash() {
        return prevHash;
    }

    /** Number of lines in the chain so far. */
    public synchronized long lineCount() {
        return nextSeq - 1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
