package org.dplstm.training.privacyaudit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.dplstm.audit.empirical.PrivacyAuditResult;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.synthetic.SupportTickets;
import org.dplstm.training.classifier.Prediction;
import org.dplstm.training.classifier.TextClassifierTrainer;
import org.dplstm.training.classifier.VocabularySource;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The audit end to end on small generated tickets with a tiny model. */
@Tag("engine")
class PrivacyAuditExperimentTest {

    private static final List<TextRecord> TRAIN = SupportTickets.generate(200, 11);

    private static PrivacyAuditConfig smallAudit() {
        return PrivacyAuditConfig.builder().optCanaries(4).optRepeats(8).optSecretDigits(3).optAuditExamples(80).build();
    }

    private static TextClassifierTrainer tinyTrainer(DpSgdConfig config) {
        return TextClassifierTrainer.builder().config(config).optEmbeddingDim(8).optHiddenSize(16).optMaxLength(24).build();
    }

    @Test
    void withoutPrivacyTheModelRevealsCanariesAndMembership() {
        DpSgdConfig config = DpSgdConfig.builder().noPrivacy().optEpochs(10).optExpectedBatchSize(32)
                .optLearningRate(0.05).optSeed(5).build();
        PrivacyAuditExperiment audit = new PrivacyAuditExperiment(smallAudit(), AuditRandomness.seededForTesting(3));
        try (TextClassifierTrainer trainer = tinyTrainer(config)) {
            PrivacyAuditOutcome outcome = audit.run(trainer, TRAIN, null);
            PrivacyAuditResult r = outcome.result();

            assertThat(outcome.exactExposure()).isTrue();
            assertThat(r.exposurePerCanary()).hasSize(4).allMatch(e -> e >= 0 && e <= Math.log(1000) / Math.log(2) + 1e-9);
            // A model that knew nothing would have mean exposure about 1 bit (rank uniform in R).
            assertThat(r.meanExposure()).isGreaterThan(3.0);
            assertThat(r.membershipInference().auc()).isGreaterThan(0.75);
            assertThat(r.epsilonLowerBound()).isGreaterThan(0.5);
            assertThat(r.epsilonFormal()).isNaN();
            assertThat(outcome.includedLosses().length + outcome.excludedLosses().length).isEqualTo(80);
            assertThat(outcome.bounds()).hasSize(4);
            assertThat(outcome.bounds().stream().mapToInt(b -> b.guesses().guesses())).containsExactly(8, 20, 40, 80);

            // The scorer's double-precision loss of the predicted label is −log of the engine's
            // softmax probability of that label (an independent path through predictAll).
            LossScorer scorer = new LossScorer(trainer.classifier());
            List<String> texts = TRAIN.subList(0, 20).stream().map(TextRecord::text).toList();
            List<Prediction> predictions = trainer.classifier().predictAll(texts);
            int[] predicted = predictions.stream().mapToInt(p -> scorer.labelId(p.label())).toArray();
            double[] losses = scorer.losses(texts, predicted, n -> { });
            for (int i = 0; i < texts.size(); i++) {
                assertThat(losses[i]).isCloseTo(-Math.log(predictions.get(i).probability()),
                        org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * losses[i]));
            }
        }
    }

    @Test
    void underDpTheLowerBoundStaysBelowTheFormalEpsilon() {
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(2).optDelta(1e-4).optEpochs(4)
                .optExpectedBatchSize(60).optLearningRate(0.05).optSeed(5).build();
        PrivacyAuditExperiment audit = new PrivacyAuditExperiment(smallAudit(), AuditRandomness.seededForTesting(4));
        try (TextClassifierTrainer trainer = tinyTrainer(config)) {
            PrivacyAuditOutcome outcome = audit.run(trainer, TRAIN, null);
            PrivacyAuditResult r = outcome.result();
            assertThat(r.epsilonFormal()).isBetween(1.5, 2.0 + 1e-6);
            assertThat(r.epsilonLowerBound()).isBetween(0.0, r.epsilonFormal());
            assertThat(outcome.delta()).isEqualTo(1e-4);
            assertThat(r.toJson().get("epsilon_formal").asDouble()).isEqualTo(r.epsilonFormal());
        }
    }

    @Test
    void secretsTheVocabularyCannotTellApartAreRejectedBeforeTraining() {
        DpSgdConfig config = DpSgdConfig.builder().noPrivacy().optEpochs(1).optExpectedBatchSize(32).build();
        PrivacyAuditExperiment audit = new PrivacyAuditExperiment(smallAudit(), AuditRandomness.seededForTesting(5));
        PlantedData planted = audit.plant(TRAIN);
        // 4 hash buckets cannot give ten digit words ten ids.
        try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config)
                .optVocabulary(VocabularySource.hashing(4)).build()) {
            var prepared = trainer.prepare(planted.trainingRecords(), null);
            assertThatThrownBy(() -> audit.checkSecretsVisible(prepared.encoder()))
                    .hasMessageStartingWith("canary secrets must be visible to the model")
                    .hasMessageEndingWith("0 positions had one");
        }
        // "my account pin is" takes 4 tokens: a length of 6 keeps only 2 of the 3 digits.
        try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config).optMaxLength(6).build()) {
            var prepared = trainer.prepare(planted.trainingRecords(), null);
            assertThatThrownBy(() -> audit.checkSecretsVisible(prepared.encoder())).hasMessageEndingWith("2 positions had one");
        }
        try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config).build()) {
            audit.checkSecretsVisible(trainer.prepare(planted.trainingRecords(), null).encoder());
        }
    }

    @Test
    void crossEntropyMatchesTheSoftmaxDefinition() {
        double[] logits = {0.5, -1.0, 2.0, 900.0, 901.0, 899.0};
        // Row 1 by the definition; row 2 (large logits) by its shift-invariant form e^1/(e^-1+e^0+e^1).
        double p = Math.exp(-1.0) / (Math.exp(0.5) + Math.exp(-1.0) + Math.exp(2.0));
        assertThat(LossScorer.crossEntropy(logits, 0, 3, 1)).isCloseTo(-Math.log(p), org.assertj.core.data.Offset.offset(1e-12));
        double q = Math.exp(1) / (Math.exp(-1) + 1 + Math.exp(1));
        assertThat(LossScorer.crossEntropy(logits, 3, 3, 1)).isCloseTo(-Math.log(q), org.assertj.core.data.Offset.offset(1e-12));
    }
}
