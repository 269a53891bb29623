package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.privacy.sampling.PoissonSampler;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.provenance.AuditTrails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CheckpointResumeTest {

    private static final int VOCABULARY = 30;
    private static final int CLASSES = 3;

    @TempDir Path dir;

    @RegisterExtension
    final TestManager engine = TestManager.perTest();

    /** Simulates a crash right after the first epoch's checkpoint. */
    static final class Crash extends RuntimeException {}

    private static DpSgdConfig config(OptimizerKind optimizer) {
        // N = 200, B = 40: 5 steps an epoch; 3 epochs = 15 steps.
        return DpSgdConfig.builder().noiseMultiplier(1.1).optAccountant(AccountantKind.RDP)
                .optOptimizer(optimizer).optLearningRate(0.05).optSchedule(ScheduleKind.COSINE).optWarmUpSteps(2)
                .optExpectedBatchSize(40).optEpochs(3).optMicroBatchSize(16).build();
    }

    /** The same sampler and noise stream for both runs, so resuming must reproduce the uninterrupted run. */
    private static TrainingRandomness sharedStream(long seed) {
        PoissonSampler sampler = PoissonSampler.seededForTesting(seed);
        return new TrainingRandomness(sampler::sample, GradientNoise.bulk(SecureGaussianNoise.seededForTesting(seed + 1)));
    }

    @Test
    void resumedAdamRunMatchesTheUninterruptedRunAndContinuesItsEpsilon() throws IOException {
        resumeMatches(OptimizerKind.ADAM);
    }

    @Test
    void resumedSgdMomentumRunMatchesTheUninterruptedRun() throws IOException {
        resumeMatches(OptimizerKind.SGD);
    }

    /** The public scale is recomputed at each epoch's start, so a resume from an epoch's checkpoint computes the same one. */
    @Test
    void resumedPreconditionedRunMatchesTheUninterruptedRun() throws IOException {
        resumeMatches(config(OptimizerKind.ADAM).toBuilder().optPrecondition("public:tiny").build(),
                TinyData.separable(60, VOCABULARY, CLASSES, 7, false));
    }

    private void resumeMatches(OptimizerKind optimizer) throws IOException {
        resumeMatches(config(optimizer), null);
    }

    /** @param publicText the public text of a preconditioned config, else null */
    private void resumeMatches(DpSgdConfig config, EncodedDataset publicText) throws IOException {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 1, false);

        TrainingResult straight;
        double[] straightWeights;
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 2)) {
            straight = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model).optRandomness(sharedStream(3))
                    .optPublicText(publicText).build().fit(data, null, List.of());
            straightWeights = model.parameters().get(0).toDoubleArray();
        }

        Path file = dir.resolve("checkpoint.bin");
        TrainingRandomness stream = sharedStream(3);
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 2)) {
            DpSgdTrainer crashing = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model).optRandomness(stream)
                    .optPublicText(publicText).optCheckpointFile(file)
                    .optListener(new TrainingListener() {
                        @Override
                        public void onEpochEnd(EpochSummary summary) {
                            if (summary.steps() > 0) {
                                throw new Crash(); // after the first epoch's checkpoint is in place
                            }
                        }
                    })
                    .build();
            assertThatThrownBy(() -> crashing.fit(data, null, List.of())).isInstanceOf(Crash.class);
        }
        try (BagOfTokensSoftmaxModel fresh = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 99)) {
            TrainingCheckpoint checkpoint = TrainingCheckpoint.readFrom(file, engine.manager());
            assertThat(checkpoint.steps()).isEqualTo(5);
            assertThat(checkpoint.config()).isEqualTo(config);
            TrainingResult resumed = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(checkpoint.config()).model(fresh)
                    .optRandomness(stream).optPublicText(publicText).build().resume(checkpoint, data, null);

            assertThat(resumed.steps()).isEqualTo(15).isEqualTo(straight.steps());
            assertThat(resumed.epsilon()).isEqualTo(straight.epsilon());
            assertThat(resumed.privacyHistory()).isEqualTo(straight.privacyHistory());
            assertThat(resumed.epochs()).extracting(EpochSummary::steps).containsExactly(5L, 10L, 15L);
            double[] weights = fresh.parameters().get(0).toDoubleArray();
            for (int j = 0; j < weights.length; j++) {
                assertThat(weights[j]).isEqualTo(straightWeights[j]);
            }
        }
    }

    @Test
    void resumingNeverResetsTheSpentBudget() throws IOException {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 4, false);
        DpSgdConfig config = config(OptimizerKind.ADAM);
        Path file = dir.resolve("checkpoint.bin");
        double epsilonAtCrash;
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 5)) {
            double[] seen = new double[1];
            DpSgdTrainer crashing = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model).optCheckpointFile(file)
                    .optListener(new TrainingListener() {
                        @Override
                        public void onEpochEnd(EpochSummary summary) {
                            seen[0] = summary.epsilon();
                            if (summary.steps() == 10) {
                                throw new Crash(); // after the checkpoint of step 10 is in place
                            }
                        }
                    })
                    .build();
            assertThatThrownBy(() -> crashing.fit(data, null, List.of())).isInstanceOf(Crash.class);
            epsilonAtCrash = seen[0];
        }
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 5)) {
            TrainingCheckpoint checkpoint = TrainingCheckpoint.readFrom(file, engine.manager());
            List<Double> epochEpsilons = new java.util.ArrayList<>();
            TrainingResult resumed = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model)
                    .optListener(new TrainingListener() {
                        @Override
                        public void onEpochEnd(EpochSummary summary) {
                            epochEpsilons.add(summary.epsilon());
                        }
                    })
                    .build().resume(checkpoint, data, null);
            assertThat(checkpoint.steps()).isEqualTo(10);
            assertThat(epochEpsilons).hasSize(1);
            assertThat(epochEpsilons.get(0)).isGreaterThan(epsilonAtCrash);
            assertThat(resumed.steps()).isEqualTo(15);
            assertThat(resumed.epochs()).hasSize(3);
            assertThat(resumed.epochs().get(1).epsilon()).isEqualTo(epsilonAtCrash);
        }
    }

    @Test
    void theCheckpointHoldsEveryStepBeforeAnythingOfItsEpochIsPublished() throws IOException {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 8, false);
        DpSgdConfig config = config(OptimizerKind.SGD);
        Path file = dir.resolve("checkpoint.bin");
        List<String> seen = new java.util.ArrayList<>();
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 9)) {
            DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config).model(model).optCheckpointFile(file)
                    .optListener(new TrainingListener() {
                        @Override
                        public void onStepEnd(StepProgress progress) {
                            if (progress.step() == 1) {
                                // Before the first epoch ends, a step-0 checkpoint holds the plan.
                                seen.add("step 1 sees checkpoint at " + savedSteps(file));
                            }
                        }

                        @Override
                        public void onEpochEnd(EpochSummary summary) {
                            seen.add("epoch " + summary.epoch() + " sees checkpoint at " + savedSteps(file));
                        }
                    })
                    .build().fit(data, null, List.of());
        }
        assertThat(seen).containsExactly("step 1 sees checkpoint at 0 (0 steps in history)",
                "epoch 1 sees checkpoint at 5 (5 steps in history)",
                "epoch 2 sees checkpoint at 10 (10 steps in history)",
                "epoch 3 sees checkpoint at 15 (15 steps in history)");
    }

    @Test
    void aCheckpointReplacesThePreviousOneOnlyAfterItsListenersRecordedIt() throws IOException {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 8, false);
        Path file = dir.resolve("checkpoint.bin");
        Path staged = AtomicFile.temporaryOf(file);
        List<String> seen = new java.util.ArrayList<>();
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 9)) {
            DpSgdTrainer trainer = DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config(OptimizerKind.SGD)).model(model)
                    .optCheckpointFile(file)
                    .optListener(new TrainingListener() {
                        @Override
                        public void onCheckpoint(Path written, long steps, double epsilon, String sha256) {
                            try {
                                assertThat(AuditTrails.sha256(Files.readAllBytes(staged))).isEqualTo(sha256);
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                            seen.add(steps + " staged, in place: " + (Files.exists(file) ? savedSteps(file) : "none"));
                            if (steps == 10) {
                                throw new Crash(); // the log could not record it
                            }
                        }
                    })
                    .build();
            assertThatThrownBy(() -> trainer.fit(data, null, List.of())).isInstanceOf(Crash.class);
        }
        assertThat(seen).containsExactly("0 staged, in place: none", "5 staged, in place: 0 (0 steps in history)",
                "10 staged, in place: 5 (5 steps in history)");
        assertThat(savedSteps(file)).isEqualTo("5 (5 steps in history)");
        assertThat(staged).doesNotExist();
    }

    private String savedSteps(Path file) {
        try (NDManager scope = engine.manager().newSubManager()) {
            TrainingCheckpoint checkpoint = TrainingCheckpoint.readFrom(file, scope);
            long inHistory = checkpoint.history().stream()
                    .mapToLong(e -> ((org.dplstm.privacy.PrivacyEvent.PoissonGaussian) e).count()).sum();
            return checkpoint.steps() + " (" + inHistory + " steps in history)";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCorruptedCheckpointIsRefused() throws IOException {
        EncodedDataset data = TinyData.separable(200, VOCABULARY, CLASSES, 6, false);
        Path file = dir.resolve("checkpoint.bin");
        try (BagOfTokensSoftmaxModel model = new BagOfTokensSoftmaxModel(engine.manager(), VOCABULARY, CLASSES, 7)) {
            DpSgdTrainer.builder().optClippers(TestClippers.CLIPPERS).config(config(OptimizerKind.SGD).toBuilder().optEpochs(1).build()).model(model)
                    .optCheckpointFile(file).build().fit(data, null, List.of());
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> TrainingCheckpoint.readFrom(file, engine.manager()))
                .isInstanceOf(IOException.class).hasMessageContaining("corrupted");
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertThatThrownBy(() -> TrainingCheckpoint.readFrom(file, engine.manager())).isInstanceOf(IOException.class);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoint.bin");
        }
    }
}
