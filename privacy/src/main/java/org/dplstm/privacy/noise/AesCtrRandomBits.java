package org.dplstm.privacy.noise;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A cryptographically secure stream of random bits: the AES-256 keystream in counter mode, keyed
 * from {@link SecureRandom}. AES-CTR is a standard CSPRNG construction (NIST SP 800-90A's
 * CTR_DRBG uses the same core) and the JDK runs it with AES-NI, so megabytes of noise cost
 * milliseconds, unlike {@code SecureRandom.nextGaussian} one draw at a time. Not thread-safe.
 */
public final class AesCtrRandomBits {

    private static final int CHUNK_BYTES = 1 << 16;
    /** 2^-53: turns the top 53 bits of a long into a double in [0, 1). */
    private static final double UNIT = 0x1.0p-53;

    private final Cipher cipher;
    private final byte[] zeros = new byte[CHUNK_BYTES];
    private final byte[] keystream = new byte[CHUNK_BYTES];
    private final ByteBuffer words = ByteBuffer.wrap(keystream).order(ByteOrder.LITTLE_ENDIAN);

    private AesCtrRandomBits(byte[] key, byte[] iv) {
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR is not available in this JVM", e);
        }
        words.position(words.limit());
    }

    /** Keyed from {@link SecureRandom}: the production source. */
    public static AesCtrRandomBits create() {
        SecureRandom seeder = new SecureRandom();
        byte[] key = new byte[32];
        byte[] iv = new byte[16];
        seeder.nextBytes(key);
        seeder.nextBytes(iv);
        return new AesCtrRandomBits(key, iv);
    }

    /** Test-only: a reproducible stream keyed from {@code seed}. Production code never calls it. */
    public static AesCtrRandomBits seededForTesting(long seed) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256")
                    .digest(("dplstm-test-seed:" + seed).getBytes(StandardCharsets.UTF_8));
            return new AesCtrRandomBits(key, new byte[16]);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** 64 uniformly random bits. */
    public long nextLong() {
        if (words.remaining() < Long.BYTES) {
            refill();
        }
        return words.getLong();
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * UNIT;
    }

    /** Uniform on (0, 1]: safe to take the logarithm of. */
    public double nextDoubleOpenAtZero() {
        return ((nextLong() >>> 11) + 1) * UNIT;
    }

    private void refill() {
        // CTR mode: encrypting zeros yields the raw keystream, i.e. AES_k(counter), AES_k(counter+1), ...
        int produced;
        try {
            produced = cipher.update(zeros, 0, CHUNK_BYTES, keystream, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        if (produced != CHUNK_BYTES) {
            throw new IllegalStateException("AES/CTR produced " + produced + " of " + CHUNK_BYTES + " bytes");
        }
        words.clear();
    }
}
