package org.dplstm.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.dplstm.privacy.PrivacyEvent;
import org.junit.jupiter.api.Test;

class PrivacyEventJsonTest {

    @Test
    void aRepeatedSelectionRoundTripsWithItsTrial() {
        PrivacyEvent tuning = new PrivacyEvent.RepeatedSelection(List.of(
                new PrivacyEvent.PoissonGaussian(0.01, 1.3, 500), new PrivacyEvent.Gaussian(10, 1)), 1, 0.5);
        var json = PrivacyEventJson.toJson(tuning);
        assertThat(json.path("mechanism").asText()).isEqualTo("repeated_selection");
        assertThat(json.path("trial").size()).isEqualTo(2);
        assertThat(PrivacyEventJson.fromJson(json)).isEqualTo(tuning);
    }

    @Test
    void aRepeatedSelectionWithoutItsTrialIsRefusedNamingIt() {
        var json = ChainedLines.JSON.createObjectNode().put("mechanism", "repeated_selection").put("eta", 1)
                .put("gamma", 0.5);
        assertThatThrownBy(() -> PrivacyEventJson.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("privacy events must be a JSON array");
    }
}
