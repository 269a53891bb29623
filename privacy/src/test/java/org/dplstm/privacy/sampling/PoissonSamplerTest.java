package org.dplstm.privacy.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PoissonSamplerTest {

    @Test
    void eachMemberJoinsIndependentlyWithTheSampleRate() {
        PoissonSampler sampler = PoissonSampler.seededForTesting(11);
        int population = 500;
        double q = 0.05;
        int trials = 4000;
        int[] hits = new int[population];
        double sumSize = 0;
        double sumSquares = 0;
        for (int t = 0; t < trials; t++) {
            int[] batch = sampler.sample(population, q);
            for (int i = 1; i < batch.length; i++) {
                assertThat(batch[i]).isGreaterThan(batch[i - 1]); // sorted, no repeats
            }
            for (int index : batch) {
                hits[index]++;
            }
            sumSize += batch.length;
            sumSquares += (double) batch.length * batch.length;
        }
        double meanSize = sumSize / trials;
        double varianceSize = sumSquares / trials - meanSize * meanSize;
        // Batch size ~ Binomial(N, q): mean Nq = 25, variance Nq(1-q) = 23.75.
        assertThat(meanSize).isCloseTo(25, within(5 * Math.sqrt(23.75 / trials)));
        assertThat(varianceSize).isCloseTo(23.75, within(3.0));
        // Every index, first and last included, is hit at rate q (binomial sd sqrt(trials q (1-q)) = 13.8).
        for (int i = 0; i < population; i++) {
            assertThat(hits[i]).as("index %d", i).isCloseTo(200, within(70));
        }
    }

    @Test
    void fullRateTakesEveryoneAndTinyRateIsOftenEmpty() {
        PoissonSampler sampler = PoissonSampler.seededForTesting(5);
        assertThat(sampler.sample(4, 1.0)).containsExactly(0, 1, 2, 3);
        int empty = 0;
        for (int t = 0; t < 1000; t++) {
            empty += sampler.sample(10, 0.01).length == 0 ? 1 : 0;
        }
        // P(empty) = 0.99^10 = 0.904.
        assertThat(empty).isCloseTo(904, within(50));
        assertThat(sampler.sample(0, 0.5)).isEmpty();
    }
}
