package org.dplstm.training.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.dplstm.privacy.rdp.TruncatedNegativeBinomial;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.junit.jupiter.api.Test;

class TuningRecordTest {

    private static final List<GridPoint> GRID = List.of(new GridPoint(0.1, 1), new GridPoint(0.2, 2));

    @Test
    void theBestIsTheHighestNoisyScoreAmongFiniteTrialsTiesToTheEarlier() {
        TuningRecord record = new TuningRecord(TruncatedNegativeBinomial.withMean(0, 3), 10, GRID);
        assertThat(record.add(0, 50, false)).isTrue(); // the only trial so far
        assertThat(record.add(1, 10, true)).isTrue(); // finite beats non-finite whatever the scores
        assertThat(record.add(0, 90, false)).isFalse();
        assertThat(record.add(0, 10, true)).isFalse(); // a tie keeps the earlier trial
        assertThat(record.add(0, 11, true)).isTrue();
        assertThat(record.trialsRun()).isEqualTo(5);
        assertThat(record.chosenTrial()).isEqualTo(4);
        assertThat(record.toMap()).containsEntry("chosen_trial", 5).containsEntry("trials_run", 5)
                .containsEntry("accountant", "rdp");
    }

    @Test
    void theGridIsTheRunsLearningRateAndClipNormTimesHalfOneAndTwo() {
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(3).optLearningRate(0.04).optMaxGradNorm(1.5).build();
        List<GridPoint> grid = TuningSettings.withMeanTrials(2).grid(config);
        assertThat(grid).hasSize(9).contains(new GridPoint(0.02, 0.75), new GridPoint(0.04, 1.5),
                new GridPoint(0.08, 3.0));
        DpSgdConfig trial = new GridPoint(0.08, 3.0).applyTo(config);
        assertThat(trial.learningRate()).isEqualTo(0.08);
        assertThat(trial.maxGradNorm()).isEqualTo(3.0);
        assertThat(trial.targetEpsilon()).isEqualTo(config.targetEpsilon());
        assertThat(TuningSettings.withMeanTrials(2).trials().mean()).isCloseTo(2, org.assertj.core.api.Assertions.within(1e-9));
        assertThatThrownBy(() -> TuningSettings.withMeanTrials(0.5)).hasMessage("mean trials must be >= 1, was 0.5");
    }

    @Test
    void seededChoicesStayInRange() {
        TrialRandomness randomness = TrialRandomness.seededForTesting(7);
        int[] seen = new int[9];
        for (int i = 0; i < 9_000; i++) {
            seen[randomness.gridIndex(9)]++;
        }
        for (int count : seen) {
            assertThat(count).isBetween(850, 1150); // 1,000 expected, sd about 30
        }
        assertThat(randomness.trialCount(TruncatedNegativeBinomial.withMean(0, 2))).isGreaterThanOrEqualTo(1);
    }
}
