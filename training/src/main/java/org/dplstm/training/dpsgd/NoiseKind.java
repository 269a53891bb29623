package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where the Gaussian noise comes from. Both are unpredictable to an observer: {@link #SECURE}
 * draws every value from AES-CTR keyed by {@code SecureRandom} (ARCHITECTURE §5b); {@link #FAST} uses
 * the engine's own generator, reseeded from {@code SecureRandom} before every step.
 */
public enum NoiseKind {
    SECURE,
    FAST;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static NoiseKind parse(String text) {
        return EnumNames.parse(NoiseKind.class, "noise", text);
    }
}
