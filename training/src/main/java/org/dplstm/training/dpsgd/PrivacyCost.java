package org.dplstm.training.dpsgd;

import java.util.List;
import java.util.Objects;
import org.dplstm.privacy.PrivacyEvent;

/**
 * Privacy spent on the training data before DP-SGD starts, by one named mechanism (e.g. {@code
 * vocabulary} for DP vocabulary selection). Its events are composed into the run's accountant, so
 * the run's ε covers them, and the report breaks the total down per mechanism.
 */
public record PrivacyCost(String mechanism, List<PrivacyEvent> events) {

    /** The mechanism name of the DP-SGD steps themselves in breakdowns. */
    public static final String DP_SGD = "dp_sgd";

    public PrivacyCost {
        Objects.requireNonNull(mechanism, "mechanism");
        if (mechanism.isBlank() || mechanism.equals(DP_SGD)) {
            throw new IllegalArgumentException(
                    "mechanism must be a non-blank name other than " + DP_SGD + ", was '" + mechanism + "'");
        }
        events = List.copyOf(events);
    }
}
