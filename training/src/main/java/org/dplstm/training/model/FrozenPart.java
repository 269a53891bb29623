package org.dplstm.training.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which parameters DP-SGD leaves as they are after a warm start: the noise grows with the square
 * root of the number of noised coordinates, so training fewer of them spends the budget on the
 * ones that matter (issue 12 §3). Frozen parameters get no noise and no update, and are left out
 * of every per-example gradient norm, so the clipping budget C goes to the trained ones.
 */
public enum FrozenPart {
    /** Train everything (default). */
    NONE,
    /** Keep the embedding table; train the LSTM and the head. */
    EMBEDDING,
    /** Keep the embedding and the LSTM (the encoder); train the head only. */
    ENCODER;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the parameter of this name (see the model's parameter names) is frozen. */
    public boolean freezes(String parameterName) {
        return switch (this) {
            case NONE -> false;
            case EMBEDDING -> parameterName.equals("embedding");
            case ENCODER -> parameterName.equals("embedding") || parameterName.startsWith("lstm.")
                    || parameterName.startsWith("gru.");
        };
    }

    /** {@code none}, {@code embedding} or {@code encoder}, any case. */
    @JsonCreator
    public static FrozenPart parse(String text) {
        for (FrozenPart part : values()) {
            if (part.id().equalsIgnoreCase(text)) {
                return part;
            }
        }
        throw new IllegalArgumentException("freeze must be one of [none, embedding, encoder], was " + text);
    }
}
