package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EpochClockTest {

    /** Planned steps of E epochs as TrainingPlan.ofEpochs counts them: ⌊E·N/B⌋. */
    private static long planned(long population, long batch, long epochs) {
        return epochs * population / batch;
    }

    @Test
    void eightEpochsOfAFractionalLengthAreEightEpochsWithNoStrayOneStepEpoch() {
        // 3019 examples, batch 64: L = 47.17; 377 steps (the run that once logged "epoch 9: 377 steps")
        long population = 3019;
        long batch = 64;
        long steps = planned(population, batch, 8);
        EpochClock clock = new EpochClock((double) population / batch, steps);
        int ends = 0;
        long counted = 0;
        for (long i = 0; i < steps; i++) {
            // the exact reference in integers: step i is in epoch ⌊i·B / N⌋ + 1
            assertThat(clock.epochOf(i)).as("step %d", i).isEqualTo((int) (i * batch / population) + 1);
            if (clock.endsEpoch(i + 1)) {
                ends++;
                counted += clock.stepsIn(clock.epochOf(i));
            }
        }
        assertThat(ends).isEqualTo(8);
        assertThat(clock.epochOf(steps - 1)).isEqualTo(8);
        assertThat(counted).isEqualTo(steps);
        for (int epoch = 1; epoch <= 8; epoch++) {
            assertThat(clock.stepsIn(epoch)).isBetween(46L, 48L);
            assertThat(clock.epochOf(clock.firstStepOf(epoch))).isEqualTo(epoch);
            assertThat(clock.epochOf(clock.firstStepOf(epoch) - 1)).isEqualTo(epoch - 1);
        }
    }

    @Test
    void wholeLengthsEndEveryLengthSteps() {
        EpochClock clock = new EpochClock(20, 100);
        for (long done = 1; done <= 100; done++) {
            assertThat(clock.endsEpoch(done)).as("after %d steps", done).isEqualTo(done % 20 == 0);
        }
        assertThat(clock.stepsIn(5)).isEqualTo(20);
        assertThat(clock.firstStepOf(3)).isEqualTo(40);
    }

    @Test
    void aPlanShorterThanAnEpochEndsItsOnlyEpochAtItsLastStep() {
        EpochClock clock = new EpochClock(47.5, 10);
        assertThat(clock.endsEpoch(9)).isFalse();
        assertThat(clock.endsEpoch(10)).isTrue();
        assertThat(clock.stepsIn(1)).isEqualTo(10);
        assertThatThrownBy(() -> new EpochClock(0, 10)).hasMessage("epoch length must be positive and finite, was 0.0");
    }
}
