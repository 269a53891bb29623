package org.dplstm.audit.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes the canonical bytes of one chained line: SHA-256 without a key, HMAC-SHA-256 with one.
 * Not thread-safe (holds a digest); each writer or verifier has its own.
 */
public final class LineHasher {

    /** {@code alg} value of lines hashed with plain SHA-256. */
    public static final String SHA_256 = "sha256";
    /** {@code alg} value of lines hashed with HMAC-SHA-256. */
    public static final String HMAC_SHA_256 = "hmac-sha256";

    private final String algorithm;
    private final MessageDigest digest;
    private final Mac mac;

    private LineHasher(String algorithm, MessageDigest digest, Mac mac) {
        this.algorithm = algorithm;
        this.digest = digest;
        this.mac = mac;
    }

    /** Plain SHA-256: catches corruption and naive edits, not someone who recomputes the chain. */
    public static LineHasher sha256() {
        return new LineHasher(SHA_256, newSha256(), null);
    }

    /** HMAC-SHA-256 under {@code key}: edits need the key, which must live outside the run directory. */
    public static LineHasher hmacSha256(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("audit key must not be empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return new LineHasher(HMAC_SHA_256, null, mac);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    /** The {@code alg} written into each line: {@value #SHA_256} or {@value #HMAC_SHA_256}. */
    public String algorithm() {
        return algorithm;
    }

    public boolean keyed() {
        return mac != null;
    }

    /** Lower-case hex of the hash of {@code canonical}. */
    public String hash(byte[] canonical) {
        byte[] out = mac != null ? mac.doFinal(canonical) : digest.digest(canonical);
        return HexFormat.of().formatHex(out);
    }

    /** Lower-case hex SHA-256 of a string's UTF-8 bytes (e.g. torn bytes, model files). */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable in this JVM", e);
        }
    }
}
