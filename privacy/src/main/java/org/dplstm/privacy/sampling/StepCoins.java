package org.dplstm.privacy.sampling;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * One step's Poisson coins ({@link KeyedPoissonSampler}): unit i is kept iff the top 53 bits of
 * AES-256_{k_t}(0^64 || i), as a number in [0, 1), are below q — block i of the AES-CTR keystream
 * of the step key, read at random access. Serializable (the step key and q only), so a cluster's
 * tasks can carry it. Immutable and thread-safe (the tasks of one executor share one broadcast
 * copy): each call makes its own cipher.
 */
public final class StepCoins implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int BLOCK_BYTES = 16;
    /** How many ids one cipher call encrypts (ECB over independent blocks: the intrinsic's fast path). */
    private static final int IDS_PER_CALL = 4096;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final double UNIT = 0x1.0p-53;

    private final byte[] stepKey;
    private final double sampleRate;

    StepCoins(byte[] stepKey, double sampleRate) {
        if (stepKey.length != 32) {
            throw new IllegalArgumentException("step key must be 32 bytes, was " + stepKey.length);
        }
        this.stepKey = stepKey.clone();
        this.sampleRate = sampleRate;
    }

    public double sampleRate() {
        return sampleRate;
    }

    /** Whether each unit of {@code ids} (non-negative) joins the step's batch. */
    public boolean[] keep(long[] ids) {
        boolean[] kept = new boolean[ids.length];
        Cipher cipher = newCipher();
        byte[] blocks = new byte[Math.min(ids.length, IDS_PER_CALL) * BLOCK_BYTES];
        for (int start = 0; start < ids.length; start += IDS_PER_CALL) {
            int count = Math.min(IDS_PER_CALL, ids.length - start);
            for (int i = 0; i < count; i++) {
                long id = ids[start + i];
                if (id < 0) {
                    throw new IllegalArgumentException("unit id must be >= 0, was " + id);
                }
                LONGS.set(blocks, i * BLOCK_BYTES, 0L);
                LONGS.set(blocks, i * BLOCK_BYTES + Long.BYTES, id);
            }
            byte[] encrypted = encrypt(cipher, blocks, count * BLOCK_BYTES);
            for (int i = 0; i < count; i++) {
                long word = (long) LONGS.get(encrypted, i * BLOCK_BYTES);
                kept[start + i] = (word >>> 11) * UNIT < sampleRate;
            }
        }
        return kept;
    }

    /** Whether unit {@code id} joins the step's batch. */
    public boolean keeps(long id) {
        return keep(new long[] {id})[0];
    }

    private Cipher newCipher() {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(stepKey, "AES"));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available in this JVM", e);
        }
    }

    private static byte[] encrypt(Cipher cipher, byte[] blocks, int length) {
        try {
            return cipher.doFinal(blocks, 0, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed on " + length + " bytes", e);
        }
    }
}
