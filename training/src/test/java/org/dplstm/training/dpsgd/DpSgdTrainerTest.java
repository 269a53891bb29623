package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.privacy.rdp.RdpAccountant;
import org.dplstm.privacy.sampling.PoissonSampler;
import org.dplstm.training.model.TestManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DpSgdTrainerTest {

    private static final int VOCABULARY = 30;
    private static final int CLASSES = 3;

    @RegisterExtension
    final TestManager engine = TestManager.perTest();

    /** Records what the loop sampled (and with which N and q), from a seeded Poisson sampler. */
    static final class RecordingSampler implements UnitSampler {
        final UnitSampler delegate;
        final List<int[]> draws = new ArrayList<>();
        final List<Integer> populations = new ArrayList<>();
        final List<Double> rates = new ArrayList<>();

        RecordingSampler(UnitSampler delegate) {
            this.delegate = delegate;
        }

        @Override
        public int[] sample(int populationSize, double sampleRate) {
            int[] drawn = delegate.sample(populationSize, sampleRate);
            draws.add(drawn.clone());
            populations.add(populationSize);
            rates.add(sampleRate);
            return drawn;
        }
    }

    /** Adds no noise (σ = 0 in effect) and records the stddev the loop asked for. */
    static final class ZeroNoise implements GradientNoise {
        final List<Double> requested = new ArrayList<>();

        @Override
        public ai.djl.ndarray.NDArray addTo(NDManager scope, ai.djl.ndarray.NDArray sum, double stddev) {
            requested.add(stddev);
            return sum.duplicate();
        }
    }

    private static DpSgdConfig.Builder sgdConfig(double sigma) {
        return DpSgdConfig.builder().noiseMultiplier(sigma).optAccountant(AccountantKind.RDP)
                .optOptimizer(OptimizerKind.SGD).optMomentum(0).optLearningRate(0.5);
    }

    @Test
    void oneStepUpdateEqualsHandComputedClippedSumDividedByExpectedBatchSize() {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 1, false);
        // B = 40 of N = 200 (q = 0.2); epochs 0.2 plan floor(0.2 * 200 / 40) = 1 step.
        DpSgdConfig config = sgdConfig(1.3).optExpectedBatchSize(40).optEpochs(0.2).optMaxGradNorm(0.5)
                .optMicroBatchSize(7).build();
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 2)) {
            double[] w0 = model.parameters().get(0).toDoubleArray();
            double[] b0 = model.parameters().get(1).toDoubleArray();
            RecordingSampler sampler = new RecordingSampler(PoissonSampler.seededForTesting(3)::sample);
            ZeroNoise noise = new ZeroNoise();
            TrainingResult result = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                    .optRandomness(new TrainingRandomness(sampler, noise)).build()
                    .fit(data, null, List.of());

            assertThat(result.steps()).isEqualTo(1);
            int[] sampled = sampler.draws.get(0);
            // The check can only tell expected from actual batch size apart when they differ.
            assertThat(sampled.length).isNotEqualTo(40);
            assertThat(sampler.rates.get(0)).isEqualTo(0.2);
            assertThat(noise.requested).containsOnly(1.3 * 0.5);

            int[][] units = Arrays.stream(sampled).mapToObj(i -> new int[] {i}).toArray(int[][]::new);
            double[] sum = new SoftmaxReference(VOCABULARY, CLASSES).clippedSum(w0, b0, data, units, 0.5);
            double[] w1 = model.parameters().get(0).toDoubleArray();
            double[] b1 = model.parameters().get(1).toDoubleArray();
            for (int j = 0; j < w1.length; j++) {
                assertThat(w1[j]).isCloseTo(w0[j] - 0.5 * sum[j] / 40, within(1e-12));
            }
            for (int k = 0; k < CLASSES; k++) {
                assertThat(b1[k]).isCloseTo(b0[k] - 0.5 * sum[w1.length + k] / 40, within(1e-12));
            }
        }
    }

    @Test
    void userLevelStepClipsEachSampledUsersSummedGradient() {
        EncodedDataset data = TinyData.separable(240, VOCABULARY, CLASSES, 4, true);
        int users = data.userCount();
        DpSgdConfig config = sgdConfig(1.1).optPrivacyUnit(PrivacyUnit.USER).optExpectedBatchSize(20)
                .optEpochs(20.0 / users).optMaxGradNorm(0.3).optMicroBatchSize(6).build();
        try (BagOfTokensSoftmaxModel inner = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 5)) {
            RecordingModel model = new RecordingModel(inner);
            double[] w0 = inner.parameters().get(0).toDoubleArray();
            double[] b0 = inner.parameters().get(1).toDoubleArray();
            RecordingSampler sampler = new RecordingSampler(PoissonSampler.seededForTesting(6)::sample);
            TrainingResult result = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                    .optRandomness(new TrainingRandomness(sampler, new ZeroNoise())).build()
                    .fit(data, null, List.of());

            assertThat(result.steps()).isEqualTo(1);
            assertThat(sampler.populations).containsExactly(users);
            assertThat(result.sampleRate()).isEqualTo(20.0 / users);
            int[][] byUser = data.examplesByUser();
            int[][] units = Arrays.stream(sampler.draws.get(0)).mapToObj(u -> byUser[u]).toArray(int[][]::new);
            int examples = Arrays.stream(units).mapToInt(u -> u.length).sum();
            assertThat(model.calls).allSatisfy(c -> assertThat(c.groups()).isNotNull());
            assertThat(model.calls.stream().mapToInt(RecordingModel.Call::size).sum()).isEqualTo(examples);
            assertThat(model.calls.stream().mapToLong(c -> Arrays.stream(c.groups()).distinct().count()).sum())
                    .isEqualTo(units.length);

            double[] sum = new SoftmaxReference(VOCABULARY, CLASSES).clippedSum(w0, b0, data, units, 0.3);
            double[] w1 = inner.parameters().get(0).toDoubleArray();
            for (int j = 0; j < w1.length; j++) {
                assertThat(w1[j]).isCloseTo(w0[j] - 0.5 * sum[j] / 20, within(1e-12));
            }
        }
    }

    @Test
    void batchesArePoissonSampledWithVaryingSizeAndMeanQN() {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 7, false);
        // 150 steps of q = 0.2: sizes ~ Binomial(200, 0.2), mean 40, sd 5.7 (sd of the mean 0.46).
        DpSgdConfig config = sgdConfig(1.0).optExpectedBatchSize(40).optEpochs(30).optMicroBatchSize(16).build();
        try (BagOfTokensSoftmaxModel inner = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 8)) {
            RecordingModel model = new RecordingModel(inner);
            RecordingSampler sampler = new RecordingSampler(PoissonSampler.create()::sample);
            List<Integer> seenPerStep = new ArrayList<>();
            DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                    .optRandomness(new TrainingRandomness(sampler, GradientNoise.secure()))
                    .optListener(new TrainingListener() {
                        int seen;

                        @Override
                        public void onStepEnd(StepProgress progress) {
                            int total = model.calls.stream().mapToInt(RecordingModel.Call::size).sum();
                            seenPerStep.add(total - seen);
                            seen = total;
                        }
                    })
                    .build().fit(data, null, List.of());

            assertThat(sampler.draws).hasSize(150);
            assertThat(sampler.rates).containsOnly(0.2);
            List<Integer> sizes = sampler.draws.stream().map(d -> d.length).toList();
            assertThat(seenPerStep).isEqualTo(sizes);
            assertThat(sizes.stream().distinct().count()).isGreaterThan(10);
            assertThat(sizes.stream().mapToInt(Integer::intValue).average().orElseThrow()).isCloseTo(40, within(2.5));
            assertThat(model.calls).allSatisfy(c -> {
                assertThat(c.method()).isEqualTo("clipped");
                assertThat(c.size()).isBetween(1, 16);
            });
        }
    }

    @Test
    void noiseStandardDeviationOfTheUpdateIsSigmaTimesCOverExpectedBatchSize() {
        for (NoiseKind kind : NoiseKind.values()) {
            int vocabulary = 2000;
            EncodedDataset data = TinyData.separable(100, vocabulary, 5, 9, false);
            double sigma = 1.7;
            double c = 0.8;
            DpSgdConfig config = sgdConfig(sigma).optLearningRate(1.0).optMaxGradNorm(c)
                    .optExpectedBatchSize(25).optEpochs(0.25).build();
            try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), vocabulary, 5, 10)) {
                double[] w0 = model.parameters().get(0).toDoubleArray();
                // An empty batch: the update is pure noise, -N(0, (σC)²)/B per entry.
                UnitSampler empty = (n, q) -> new int[0];
                DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                        .optRandomness(new TrainingRandomness(empty, GradientNoise.of(kind))).build()
                        .fit(data, null, List.of());
                double[] w1 = model.parameters().get(0).toDoubleArray();
                double mean = 0;
                double squares = 0;
                for (int j = 0; j < w0.length; j++) {
                    double delta = w1[j] - w0[j];
                    mean += delta;
                    squares += delta * delta;
                }
                int n = w0.length;
                mean /= n;
                double std = Math.sqrt(squares / n - mean * mean);
                double expected = sigma * c / 25;
                // n = 10000 draws: the sample std has relative sd 1/sqrt(2n) = 0.7%; allow 4%.
                assertThat(std).as(kind + " noise std").isCloseTo(expected, within(0.04 * expected));
                assertThat(Math.abs(mean)).as(kind + " noise mean").isLessThan(5 * expected / Math.sqrt(n));
            }
        }
    }

    @Test
    void stopsCleanlyBeforeAStepWouldExceedTheEpsilonCap() {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 11, false);
        double cap = 2.0;
        DpSgdConfig config = sgdConfig(1.5).optExpectedBatchSize(40).optEpochs(10).optMaxEpsilon(cap).build();
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 12)) {
            List<Long> refusedAt = new ArrayList<>();
            TrainingResult result = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                    .optRandomness(TrainingRandomness.seededForTesting(13))
                    .optListener(new TrainingListener() {
                        @Override
                        public void onBudgetRefused(long steps, double spent, double epsilonCap) {
                            refusedAt.add(steps);
                        }
                    })
                    .build().fit(data, null, List.of());

            long k = result.steps();
            assertThat(result.stoppedByBudget()).isTrue();
            assertThat(refusedAt).containsExactly(k);
            assertThat(k).isLessThan(result.plannedSteps()).isGreaterThan(0);
            // Independent check with a fresh accountant: k steps fit under the cap, k + 1 do not.
            assertThat(rdpEpsilon(List.of(new PrivacyEvent.PoissonGaussian(0.2, 1.5, k)), 1e-5)).isLessThanOrEqualTo(cap);
            assertThat(rdpEpsilon(List.of(new PrivacyEvent.PoissonGaussian(0.2, 1.5, k + 1)), 1e-5)).isGreaterThan(cap);
            assertThat(result.epsilon()).isLessThanOrEqualTo(cap);
        }
    }

    @Test
    void accountantComposesPriorCostsAndExactlyThePerformedSteps() {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 14, false);
        DpSgdConfig config = sgdConfig(1.2).optExpectedBatchSize(20).optEpochs(2).build();
        PrivacyCost vocabulary = new PrivacyCost("vocabulary",
                List.of(new PrivacyEvent.Gaussian(8.0, 1), new PrivacyEvent.ThresholdDelta(1e-7)));
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 15)) {
            List<Long> stepsSeen = new ArrayList<>();
            TrainingResult result = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                    .optRandomness(TrainingRandomness.seededForTesting(16))
                    .optListener(new TrainingListener() {
                        @Override
                        public void onStepEnd(StepProgress progress) {
                            stepsSeen.add(progress.step());
                        }
                    })
                    .build().fit(data, null, List.of(vocabulary));

            assertThat(result.steps()).isEqualTo(20).isEqualTo(result.plannedSteps()).isEqualTo(stepsSeen.size());
            long composedSteps = result.privacyHistory().stream()
                    .filter(e -> e instanceof PrivacyEvent.PoissonGaussian)
                    .mapToLong(e -> ((PrivacyEvent.PoissonGaussian) e).count()).sum();
            assertThat(composedSteps).isEqualTo(result.steps());
            assertThat(result.privacyHistory().subList(0, 2)).isEqualTo(vocabulary.events());
            List<PrivacyEvent> all = new ArrayList<>(vocabulary.events());
            all.add(new PrivacyEvent.PoissonGaussian(0.1, 1.2, 20));
            assertThat(result.epsilon()).isCloseTo(rdpEpsilon(all, 1e-5), within(1e-9));
            assertThat(result.epsilonBreakdown()).containsOnlyKeys("dp_sgd", "vocabulary");
            assertThat(result.epsilonBreakdown().get("dp_sgd"))
                    .isCloseTo(rdpEpsilon(List.of(new PrivacyEvent.PoissonGaussian(0.1, 1.2, 20)), 1e-5), within(1e-9));
            assertThat(result.epsilon()).isGreaterThan(result.epsilonBreakdown().get("dp_sgd"));
        }
    }

    @Test
    void targetEpsilonIsCalibratedBeforeTrainingAndNeverExceeded() {
        EncodedDataset train = TinyData.separable(400, VOCABULARY, CLASSES, 17, false);
        EncodedDataset valid = TinyData.separable(200, VOCABULARY, CLASSES, 18, false);
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(4).optAccountant(AccountantKind.RDP)
                .optExpectedBatchSize(50).optEpochs(15).optLearningRate(0.1).optMaxGradNorm(1).build();
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 19)) {
            TrainingResult result = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model).build()
                    .fit(train, valid, List.of());
            assertThat(result.steps()).isEqualTo(120).isEqualTo(result.plannedSteps());
            assertThat(result.stoppedByBudget()).isFalse();
            assertThat(result.epsilon()).isLessThanOrEqualTo(4 * (1 + 1e-6)).isGreaterThan(3.9);
            assertThat(result.validAccuracy()).isGreaterThan(0.8);
            assertThat(result.epochs()).hasSize(15);
            assertThat(result.epochs()).allSatisfy(e -> assertThat(e.epsilon()).isLessThanOrEqualTo(result.epsilon()));
        }
    }

    @Test
    void withoutPrivacyTrainsOnFixedShuffledBatchesWithoutClippingOrNoise() {
        EncodedDataset train = TinyData.separable(200, VOCABULARY, CLASSES, 20, false);
        EncodedDataset valid = TinyData.separable(200, VOCABULARY, CLASSES, 21, false);
        DpSgdConfig config = DpSgdConfig.builder().noPrivacy().optExpectedBatchSize(50).optEpochs(10)
                .optOptimizer(OptimizerKind.SGD).optMomentum(0).optLearningRate(0.5).optMicroBatchSize(30)
                .optSeed(5).build();
        try (BagOfTokensSoftmaxModel inner = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 22)) {
            RecordingModel model = new RecordingModel(inner);
            List<Integer> perStep = new ArrayList<>();
            TrainingResult result = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                    .optRandomness(new TrainingRandomness((n, q) -> {
                        throw new AssertionError("no Poisson sampling without privacy");
                    }, (scope, sum, std) -> {
                        throw new AssertionError("no noise without privacy");
                    }))
                    .optListener(new TrainingListener() {
                        int seen;

                        @Override
                        public void onStepEnd(StepProgress progress) {
                            int total = model.calls.stream().mapToInt(RecordingModel.Call::size).sum();
                            perStep.add(total - seen);
                            seen = total;
                        }
                    })
                    .build().fit(train, valid, List.of());

            assertThat(result.isPrivate()).isFalse();
            assertThat(result.epsilon()).isInfinite();
            assertThat(result.epsilonBreakdown()).isEmpty();
            assertThat(result.privacyHistory()).isEmpty();
            assertThat(perStep).hasSize(40).containsOnly(50);
            assertThat(model.calls).allSatisfy(c -> assertThat(c.method()).isEqualTo("plain"));
            assertThat(result.validAccuracy()).isGreaterThan(0.85);
        }
    }

    private static double rdpEpsilon(List<PrivacyEvent> events, double delta) {
        PrivacyAccountant accountant = new RdpAccountant();
        events.forEach(accountant::compose);
        return accountant.epsilon(delta);
    }
}
