package org.dplstm.data.sanitize;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Set;

/**
 * Remembers a 128-bit SHA-256 prefix per distinct text (16 bytes, not the text), so memory grows
 * with the number of distinct records, not their size; a false "duplicate" needs a 2^-128 collision.
 */
public final class ExactDeduplicator {
    private final Set<Fingerprint> seen = new HashSet<>();
    private final MessageDigest sha256;

    private record Fingerprint(long high, long low) {}

    public ExactDeduplicator() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** True the first time {@code text} is offered, false for every later copy. */
    public boolean firstSeen(String text) {
        ByteBuffer digest = ByteBuffer.wrap(sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
        return seen.add(new Fingerprint(digest.getLong(), digest.getLong()));
    }
}
