package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;

/**
 * Who is protected and how much: the privacy mode with its target ε or fixed σ (the other one
 * null), an optional ε cap for a fixed σ, δ, the accountant and the privacy unit. Validated here
 * and nowhere else; stored under these names in run.json's flat {@code dp_sgd} object
 * (docs/ARCHITECTURE.md, "Configuration").
 *
 * @param delta null only in a run without privacy (run.json stores none for it); read as the
 *     default then
 */
@JsonIgnoreProperties(ignoreUnknown = true) // the other records' keys share the flat object
public record PrivacySettings(
        @JsonProperty("privacy_mode") PrivacyMode mode,
        @JsonProperty("target_epsilon") Double targetEpsilon,
        @JsonProperty("noise_multiplier") Double noiseMultiplier,
        @JsonProperty("max_epsilon") Double maxEpsilon,
        @JsonProperty("delta") Double delta,
        @JsonProperty("accountant") AccountantKind accountant,
        @JsonProperty("privacy_unit") PrivacyUnit unit) {

    public static final double DEFAULT_DELTA = 1e-5;

    /** The builder's starting point: no privacy chosen yet (it insists on a choice), PLD, one example. */
    static final PrivacySettings DEFAULT =
            new PrivacySettings(PrivacyMode.NONE, null, null, null, DEFAULT_DELTA, AccountantKind.PLD, PrivacyUnit.EXAMPLE);

    public PrivacySettings {
        if (mode == null) {
            throw new IllegalArgumentException(
                    "privacy must be chosen: a target epsilon, a noise multiplier, or no privacy");
        }
        boolean several = switch (mode) {
            case TARGET_EPSILON -> noiseMultiplier != null;
            case FIXED_NOISE -> targetEpsilon != null;
            case NONE -> targetEpsilon != null || noiseMultiplier != null;
        };
        if (several) {
            throw new IllegalArgumentException(
                    "privacy must be chosen once: give a target epsilon, a noise multiplier or"
                            + " no privacy, not several");
        }
        switch (mode) {
            case TARGET_EPSILON -> {
                Checks.positive("target epsilon", orNaN(targetEpsilon));
                Checks.finite("target epsilon", targetEpsilon);
                if (maxEpsilon != null) {
                    throw new IllegalArgumentException(
                            "max epsilon applies to a fixed noise multiplier only; with a target"
                                    + " epsilon the target is the cap");
                }
            }
            case FIXED_NOISE -> {
                Checks.positive("noise multiplier", orNaN(noiseMultiplier));
                Checks.finite("noise multiplier", noiseMultiplier);
                if (maxEpsilon != null) {
                    Checks.positive("max epsilon", maxEpsilon);
                }
            }
            case NONE -> {
                if (maxEpsilon != null) {
                    throw new IllegalArgumentException("max epsilon needs a private run");
                }
                if (delta == null) {
                    delta = DEFAULT_DELTA;
                }
            }
        }
        Checks.delta("delta", orNaN(delta));
        if (accountant == null) {
            AccountantKind.parse(null); // the parser's message: the allowed accountants
        }
        if (unit == null) {
            PrivacyUnit.parse(null);
        }
        if (mode == PrivacyMode.NONE && unit == PrivacyUnit.USER) {
            throw new IllegalArgumentException(
                    "privacy unit user needs a private run (no privacy trains on examples)");
        }
    }

    @JsonIgnore // derived from the mode, not stored
    public boolean isPrivate() {
        return mode != PrivacyMode.NONE;
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
