package org.dplstm.privacy.sampling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.dplstm.privacy.Checks;

/**
 * Poisson sampling whose coins are a keyed pseudo-random function of (secret key, step, unit id),
 * so that a distributed step can sample each unit where it lives (ARCHITECTURE §2, §5b). Step t
 * gets its own key k_t = HMAC-SHA-256(K, "dplstm poisson step" || t); unit i joins step t's batch
 * iff the AES-256 block AES_{k_t}(0^64 || i), read as a uniform number in [0, 1), is below q (see
 * {@link StepCoins}). The sample therefore depends only on K, t and the ids: not on how the units
 * are split into partitions or devices, and a retried or recomputed task draws exactly the same
 * coins. Coins are independent across units and steps as far as HMAC-SHA-256 and AES are
 * pseudo-random functions; K comes from {@link SecureRandom}, and only step keys leave the driver.
 */
public final class KeyedPoissonSampler {

    private static final byte[] STEP_LABEL = "dplstm poisson step".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;

    private KeyedPoissonSampler(byte[] key) {
        this.key = key;
    }

    /** A fresh secret key from {@link SecureRandom}: the only factory production code uses. */
    public static KeyedPoissonSampler create() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new KeyedPoissonSampler(key);
    }

    /** Test-only: the same key for the same seed, so two computations can share one sample. */
    public static KeyedPoissonSampler seededForTesting(long seed) {
        try {
            return new KeyedPoissonSampler(MessageDigest.getInstance("SHA-256")
                    .digest(("dplstm-test-sampling-key:" + seed).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The coins of step {@code step} (0-based) at sample rate q. */
    public StepCoins coinsFor(long step, double sampleRate) {
        Checks.atLeast("step", step, 0);
        Checks.halfOpenUnitInterval("sample rate", sampleRate);
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update(STEP_LABEL);
            hmac.update(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
            return new StepCoins(hmac.doFinal(), sampleRate);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Sorted ids in [0, populationSize) that step {@code step} keeps: O(N) coins, one per unit. */
    public int[] sample(long step, int populationSize, double sampleRate) {
        Checks.atLeast("population size", populationSize, 0);
        long[] ids = new long[populationSize];
        for (int i = 0; i < populationSize; i++) {
            ids[i] = i;
        }
        boolean[] kept = coinsFor(step, sampleRate).keep(ids);
        int count = 0;
        int[] members = new int[populationSize];
        for (int i = 0; i < populationSize; i++) {
            if (kept[i]) {
                members[count++] = i;
            }
        }
        return java.util.Arrays.copyOf(members, count);
    }
}
