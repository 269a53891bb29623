package org.dplstm.training.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyEvent;
import org.junit.jupiter.api.Test;

class AuditTrailEpsilonTest {

    @Test
    void anRdpRunWhoseNoiseThePldGridCannotHoldIsLoggedWithItsOwnEpsilonAlone() {
        // σ 0.12 over a million steps: losses far beyond the PLD accountant's grid (it refuses them)
        List<PrivacyEvent> history = List.of(new PrivacyEvent.PoissonGaussian(0.2, 0.12, 1_000_000));

        Map<String, Double> epsilon = AuditTrail.epsilonByAccountant(AccountantKind.RDP, history, 1e-5);

        assertThat(epsilon).containsOnlyKeys("rdp");
        assertThat(epsilon.get("rdp")).isFinite().isPositive();
    }

    @Test
    void everyAccountantThatCanBoundTheRunIsLoggedTheRunsOwnFirst() {
        List<PrivacyEvent> history = List.of(new PrivacyEvent.PoissonGaussian(0.01, 1.0, 1000));

        Map<String, Double> epsilon = AuditTrail.epsilonByAccountant(AccountantKind.RDP, history, 1e-5);

        assertThat(epsilon.keySet()).containsExactly("rdp", "pld");
        // PLD is the tighter bound of the same mechanism
        assertThat(epsilon.get("pld")).isPositive().isLessThanOrEqualTo(epsilon.get("rdp"));
    }
}
