package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.dplstm.training.model.TestManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdaptiveClippingTest {

    @RegisterExtension
    final TestManager engine = TestManager.perTest();

    /** Adds nothing: the geometric update is then checked against its closed form. */
    private static final GradientNoise NO_NOISE = (scope, sum, stddev) -> sum.duplicate();

    @Test
    void gradientNoiseMultiplierComposesWithTheCountToTheAccountedSigma() {
        // Andrew et al. 2021, Theorem 1: 1/σ² = 1/σ_g² + 1/(2σ_b)²
        double sigmaG = AdaptiveClipping.gradientNoiseMultiplier(1.0, 10.0);
        assertThat(1 / (sigmaG * sigmaG) + 1 / 400.0).isCloseTo(1.0, offset(1e-12));
        assertThat(sigmaG).isGreaterThan(1.0);
        assertThatThrownBy(() -> AdaptiveClipping.gradientNoiseMultiplier(3.0, 1.0))
                .hasMessageContaining("adaptive clipping needs a count noise 2*sigma_b = 2.0 above the noise multiplier 3.0");
    }

    @Test
    void clipNormMovesGeometricallyTowardTheQuantileDividingByTheExpectedBatch() {
        NDManager manager = engine.manager();
        AdaptiveClipping clipping = new AdaptiveClipping(0.5, 1.0, 1.0, 100);
        assertThat(clipping.gradientNoiseMultiplier()).isCloseTo(1 / Math.sqrt(1 - 1 / 100.0), offset(1e-12));
        NDArray count = manager.create(3.0); // 3 of 5 sampled units' norms at most C = 1
        clipping.update(manager, count, NO_NOISE, 100); // b = 3/100 (expected B, not the 5 sampled)
        assertThat(clipping.clipNorm()).isCloseTo(Math.exp(-0.2 * (0.03 - 0.5)), offset(1e-12));
        java.util.Map<String, NDArray> state = new java.util.HashMap<>();
        clipping.putState(manager, state);
        AdaptiveClipping resumed = new AdaptiveClipping(0.5, 1.0, 1.0, 100);
        resumed.restore(state);
        assertThat(resumed.clipNorm()).isEqualTo(clipping.clipNorm());
        assertThatThrownBy(() -> DpSgdConfig.builder().noPrivacy().optAdaptiveClipping(0.5).build())
                .hasMessage("adaptive clipping needs a private run (no privacy does not clip)");
        assertThatThrownBy(() -> DpSgdConfig.builder().targetEpsilon(1).optAdaptiveClipping(1.5).build())
                .hasMessage("clip quantile must be in (0, 1), was 1.5");
    }
}
