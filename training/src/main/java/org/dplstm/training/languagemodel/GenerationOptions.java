package org.dplstm.training.languagemodel;

import java.util.OptionalLong;
import org.dplstm.privacy.Checks;

/**
 * How to sample a continuation: at most {@code maxTokens} tokens (stopping early at the end of a
 * text), softmax temperature (0 = always the most probable token), top-k (0 = the whole
 * vocabulary), and an optional seed. The seed only drives the sampling of generated text, which
 * is public output of a private model: it touches no training randomness.
 */
public record GenerationOptions(int maxTokens, double temperature, int topK, OptionalLong seed) {

    public static final int DEFAULT_MAX_TOKENS = 200;
    public static final double DEFAULT_TEMPERATURE = 0.8;
    public static final int DEFAULT_TOP_K = 0;

    public GenerationOptions {
        Checks.atLeast("max tokens", maxTokens, 1);
        if (!(temperature >= 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0 = greedy), was " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top k must be >= 0 (0 = no limit), was " + topK);
        }
        seed = seed == null ? OptionalLong.empty() : seed;
    }

    public static GenerationOptions defaults() {
        return new GenerationOptions(DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TOP_K, OptionalLong.empty());
    }
}
