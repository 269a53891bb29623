package org.dplstm.privacy.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.privacy.rdp.TruncatedNegativeBinomial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoiseCalibratorTest {

    private static double epsilon(AccountantKind kind, double sigma, TrainingPlan plan, List<PrivacyEvent> prior, double delta) {
        PrivacyAccountant accountant = Accountants.newAccountant(kind);
        accountant.composeAll(prior);
        accountant.compose(new PrivacyEvent.PoissonGaussian(plan.sampleRate(), sigma, plan.steps()));
        return accountant.epsilon(delta);
    }

    @ParameterizedTest
    @CsvSource({"RDP, 0.01, 1000, 1.0", "PLD, 0.01, 1000, 1.0", "PLD, 0.004266666666666667, 14062, 3.0", "RDP, 0.1, 50, 8.0"})
    void calibratedSigmaMeetsTheTargetAndSlightlyLessNoiseDoesNot(AccountantKind kind, double q, long steps, double target) {
        TrainingPlan plan = TrainingPlan.ofSteps(q, steps);
        double sigma = NoiseCalibrator.noiseMultiplierFor(kind, target, 1e-5, plan, List.of());
        assertThat(epsilon(kind, sigma, plan, List.of(), 1e-5)).isLessThanOrEqualTo(target);
        assertThat(epsilon(kind, sigma * (1 - 2e-3), plan, List.of(), 1e-5)).isGreaterThan(target);
    }

    @Test
    void priorSpendingNeedsMoreNoise() {
        TrainingPlan plan = TrainingPlan.ofSteps(0.01, 2000);
        List<PrivacyEvent> prior = List.of(new PrivacyEvent.Gaussian(5.0, 1), new PrivacyEvent.ThresholdDelta(1e-6));
        double fresh = NoiseCalibrator.noiseMultiplierFor(AccountantKind.PLD, 2.0, 1e-5, plan, List.of());
        double afterPrior = NoiseCalibrator.noiseMultiplierFor(AccountantKind.PLD, 2.0, 1e-5, plan, prior);
        assertThat(afterPrior).isGreaterThan(fresh);
        assertThat(epsilon(AccountantKind.PLD, afterPrior, plan, prior, 1e-5)).isLessThanOrEqualTo(2.0);
    }

    @Test
    void unreachableTargetIsRefusedNamingTheTarget() {
        TrainingPlan plan = TrainingPlan.ofSteps(1.0, 10_000_000);
        assertThatThrownBy(() -> NoiseCalibrator.noiseMultiplierFor(AccountantKind.RDP, 1e-4, 1e-5, plan, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("target epsilon must be at least")
                .hasMessageContaining("was 1.0E-4");
    }

    /**
     * A target so loose that RDP asks for the least noise on offer (0.1): the PLD accountant cannot
     * compose the small sigmas (their loss grids exceed its FFT limit), so calibration must step
     * over them and return the smallest sigma it can compute, not fail. q = 0.2 over 10^4 steps
     * reaches the limit near sigma 0.168 with cheap probes (about 7 s in all).
     */
    @Test
    void targetBeyondThePldAccountantsReachGetsTheLeastNoiseItCanCompute() {
        TrainingPlan plan = TrainingPlan.ofSteps(0.2, 10_000);
        double target = 1e6;
        double sigma = NoiseCalibrator.noiseMultiplierFor(AccountantKind.PLD, target, 1e-5, plan, List.of());
        double pld = epsilon(AccountantKind.PLD, sigma, plan, List.of(), 1e-5);
        double rdp = epsilon(AccountantKind.RDP, sigma, plan, List.of(), 1e-5);
        assertThat(sigma).isGreaterThan(NoiseCalibrator.MIN_NOISE_MULTIPLIER);
        assertThat(pld).isPositive().isLessThanOrEqualTo(target);
        assertThat(pld).as("PLD is the tighter bound; RDP bounds it independently").isLessThanOrEqualTo(rdp);
        // The answer is the accountant's limit, not the target: a little less noise cannot be composed.
        assertThatThrownBy(() -> epsilon(AccountantKind.PLD, sigma * (1 - 2e-3), plan, List.of(), 1e-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--accountant rdp");
    }

    @Test
    void epochPlanUsesExpectedBatchOverDatasetSize() {
        TrainingPlan plan = TrainingPlan.ofEpochs(60_000, 256, 60);
        assertThat(plan.sampleRate()).isEqualTo(256 / 60_000.0);
        assertThat(plan.steps()).isEqualTo(14_062); // floor(60 * 60000 / 256) = floor(14062.5)
        assertThat(TrainingPlan.ofEpochs(100, 3, 0.3).steps()).isEqualTo(10); // exactly 10, not 9.999...
        assertThat(TrainingPlan.ofEpochs(1000, 500, 0.1).steps()).isEqualTo(1); // at least one step
        assertThatThrownBy(() -> TrainingPlan.ofEpochs(100, 200, 1)).hasMessageContaining("batch size must be in");
        assertThatThrownBy(() -> TrainingPlan.ofSteps(0.1, 0)).hasMessage("steps must be >= 1, was 0");
    }

    @ParameterizedTest
    @CsvSource({"0.01, 1000, 3.0, 1, 2", "0.05, 200, 8.0, 0, 1.5", "0.01, 1000, 3.0, 1, 10"})
    void tunedCalibrationMeetsTheTargetNeedsMoreNoiseThanOneRunAndSlightlyLessNoiseDoesNot(double q, long steps,
            double target, double eta, double meanTrials) {
        TrainingPlan plan = TrainingPlan.ofSteps(q, steps);
        TruncatedNegativeBinomial trials = TruncatedNegativeBinomial.withMean(eta, meanTrials);
        List<PrivacyEvent> score = List.of(new PrivacyEvent.Gaussian(10, 1));
        double sigma = NoiseCalibrator.noiseMultiplierForTuning(target, 1e-5, plan, score, trials);
        assertThat(NoiseCalibrator.tunedEpsilon(sigma, 1e-5, plan, score, trials)).isLessThanOrEqualTo(target);
        assertThat(NoiseCalibrator.tunedEpsilon(sigma * (1 - 2e-3), 1e-5, plan, score, trials)).isGreaterThan(target);
        // One untuned run (one trial's events under RDP) at the same target needs less noise.
        List<PrivacyEvent> oneRun = new java.util.ArrayList<>(score);
        double untuned = NoiseCalibrator.noiseMultiplierFor(AccountantKind.RDP, target, 1e-5, plan, oneRun);
        assertThat(sigma).isGreaterThan(untuned);
    }

    @Test
    void tunedCalibrationRefusesATargetNoNoiseCanMeet() {
        TrainingPlan plan = TrainingPlan.ofSteps(0.5, 10);
        TruncatedNegativeBinomial trials = TruncatedNegativeBinomial.withMean(1, 5);
        assertThatThrownBy(() -> NoiseCalibrator.noiseMultiplierForTuning(0.01, 1e-5, plan, List.of(), trials))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("target epsilon must be at least ");
    }
}
