package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Whose participation the guarantee hides: one example, or one user with all of their examples
 * (user-level DP samples users and clips the sum of each user's gradients; McMahan et al. 2018).
 */
public enum PrivacyUnit {
    EXAMPLE,
    USER;

    /** What the planner's N counts, for messages: "examples" (kept after sanitization) or "users". */
    public String plural() {
        return this == USER ? "users" : "examples";
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PrivacyUnit parse(String text) {
        return EnumNames.parse(PrivacyUnit.class, "privacy unit", text);
    }
}
