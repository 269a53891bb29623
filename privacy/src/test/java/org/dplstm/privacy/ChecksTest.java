package org.dplstm.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dplstm.privacy.accountants.Accountants;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void messagesNameTheParameterTheRangeAndTheValue() {
        assertThatThrownBy(() -> Checks.openUnitInterval("delta", 2.0)).hasMessage("delta must be in (0, 1), was 2.0");
        assertThatThrownBy(() -> Checks.halfOpenUnitInterval("sample rate", 0)).hasMessage("sample rate must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> Checks.positive("noise multiplier", Double.NaN)).hasMessage("noise multiplier must be > 0, was NaN");
        assertThatThrownBy(() -> Checks.positive("steps", 0L)).hasMessage("steps must be > 0, was 0");
        assertThatThrownBy(() -> Checks.nonNegative("epsilon", -1)).hasMessage("epsilon must be >= 0, was -1.0");
        assertThatThrownBy(() -> Checks.atLeast("steps", 0, 1)).hasMessage("steps must be >= 1, was 0");
        assertThatThrownBy(() -> Checks.inRange("x", 3, 0, 2)).hasMessage("x must be in [0.0, 2.0], was 3.0");
        assertThatThrownBy(() -> Checks.finite("x", Double.POSITIVE_INFINITY)).hasMessage("x must be a finite number, was Infinity");
    }

    @Test
    void validValuesPassThrough() {
        assertThat(Checks.halfOpenUnitInterval("q", 1.0)).isEqualTo(1.0);
        assertThat(Checks.openUnitInterval("d", 1e-9)).isEqualTo(1e-9);
        assertThat(Checks.atLeast("n", 5, 1)).isEqualTo(5);
    }

    @Test
    void accountantKindParsesIdsAndListsAllowedValues() {
        assertThat(AccountantKind.parse("PLD")).isEqualTo(AccountantKind.PLD);
        assertThat(Accountants.newAccountant(AccountantKind.parse("rdp")).kind()).isEqualTo(AccountantKind.RDP);
        assertThatThrownBy(() -> AccountantKind.parse("moments")).hasMessage("accountant must be one of rdp, pld, was moments");
    }

    @Test
    void eventsRejectOutOfRangeParameters() {
        assertThatThrownBy(() -> new PrivacyEvent.PoissonGaussian(1.5, 1, 1)).hasMessageContaining("sample rate must be in (0, 1]");
        assertThatThrownBy(() -> new PrivacyEvent.Gaussian(0, 1)).hasMessageContaining("noise multiplier must be > 0");
        assertThatThrownBy(() -> new PrivacyEvent.ThresholdDelta(1)).hasMessageContaining("threshold delta must be in [0, 1)");
    }
}
