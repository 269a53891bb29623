package org.dplstm.training.privacyaudit;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Where an audit's secrets, canary labels, audit-example choices and inclusion coins come from: a
 * {@link SecureRandom} unless a test asks for a seeded source. The one-run bound (Steinke et al.
 * 2023) needs inclusion to be truly random and independent of everything the trainer sees, and
 * exposure needs secrets nobody (training seed included) can predict, so no user option seeds it.
 */
public final class AuditRandomness {

    private final Random random;

    private AuditRandomness(Random random) {
        this.random = random;
    }

    public static AuditRandomness secure() {
        return new AuditRandomness(new SecureRandom());
    }

    /** Reproducible, predictable draws: tests only. */
    public static AuditRandomness seededForTesting(long seed) {
        return new AuditRandomness(new Random(seed));
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Uniform in [0, bound). */
    long nextLong(long bound) {
        return random.nextLong(bound);
    }

    /** A fair coin. */
    boolean coin() {
        return random.nextBoolean();
    }
}
