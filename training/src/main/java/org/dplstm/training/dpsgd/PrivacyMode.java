package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a run's noise multiplier is chosen. */
public enum PrivacyMode {
    /** σ is calibrated before training so that the whole plan spends at most the target ε. */
    TARGET_EPSILON,
    /** σ is given; ε is whatever the plan spends (optionally capped). */
    FIXED_NOISE,
    /** No clipping, no noise, fixed-size shuffled batches: a non-private baseline. */
    NONE;

    /** The name stored in run.json's {@code privacy_mode}. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PrivacyMode parse(String text) {
        return EnumNames.parse(PrivacyMode.class, "privacy_mode", text);
    }
}
