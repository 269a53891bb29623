package org.dplstm.training.privacyaudit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.dplstm.audit.empirical.PrivacyAuditResult;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.languagemodel.LanguageModelTrainer;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The language-model audit end to end on tiny generated text with a tiny character model. */
@Tag("engine")
class LanguageModelPrivacyAuditTest {

    /** Short sentences from a tiny grammar, one a line. */
    static List<TextRecord> sentences(int count, long seed) {
        Random random = new Random(seed);
        String[] subjects = {"the cat", "a dog", "my friend", "her uncle"};
        String[] verbs = {"sees", "likes", "finds", "paints"};
        String[] objects = {"the sun.", "a ball.", "some tea.", "the sea."};
        List<TextRecord> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(TextRecord.of("tiny.txt", i + 1, subjects[random.nextInt(4)] + " " + verbs[random.nextInt(4)]
                    + " " + objects[random.nextInt(4)], null, null));
        }
        return lines;
    }

    private static PrivacyAuditConfig smallAudit(int canaries) {
        return PrivacyAuditConfig.builder().optCanaries(canaries).optRepeats(20).optSecretDigits(2)
                .optSecretSpelling(CanaryTemplate.Spelling.NUMERALS).optAuditExamples(20).build();
    }

    private static PrivacyAuditOutcome audit(DpSgdConfig config, long seed) {
        return audit(config, seed, 2);
    }

    private static PrivacyAuditOutcome audit(DpSgdConfig config, long seed, int canaries) {
        LanguageModelPrivacyAudit audit =
                new LanguageModelPrivacyAudit(smallAudit(canaries), AuditRandomness.seededForTesting(seed));
        try (LanguageModelTrainer trainer = LanguageModelTrainer.builder().config(config).optEmbeddingDim(8)
                .optHiddenSize(32).optMaxLength(32).build()) {
            return audit.run(trainer, TokenLevel.CHAR, sentences(40, seed), null);
        }
    }

    @Test
    void withoutPrivacyAMemorisedCanaryIsExposedAndWithHugeNoiseItIsNot() {
        double maxExposure = Math.log(100) / Math.log(2);
        // 40 lines + 2 canaries x 20 + about 10 audit lines, 12 epochs of batch 20: about 55 steps.
        DpSgdConfig plain = DpSgdConfig.builder().noPrivacy().optEpochs(12).optExpectedBatchSize(20)
                .optLearningRate(0.1).optSeed(5).build();
        PrivacyAuditOutcome memorised = audit(plain, 3);
        PrivacyAuditResult r = memorised.result();
        assertThat(memorised.exactExposure()).isTrue();
        assertThat(r.exposurePerCanary()).hasSize(2);
        // A model that knew nothing would rank each secret uniformly among the 100 (about 1.4
        // bits on average); a memorised one ranks it first or nearly.
        assertThat(r.meanExposure()).isGreaterThan(maxExposure - 2.0);
        // Random audit lines seen once an epoch are told apart from unseen ones (0.5 = chance).
        assertThat(r.membershipInference().auc()).isGreaterThan(0.7);
        assertThat(r.epsilonFormal()).isNaN();
        assertThat(memorised.includedLosses().length + memorised.excludedLosses().length).isEqualTo(20);

        // Noise multiplier 100: the updates are noise; a canary is no better than any candidate,
        // and the one-run bound stays below the run's tiny formal epsilon. The noise is secure
        // (not seeded), so the mean is over 8 canaries: with each secret's rank uniform over the
        // 100 candidates, exposure averages 1.40 bits with a long upper tail; the mean of 8
        // exceeds log2(100) − 3 with probability about 1e-4 (of 2: 2.7%, a flaky test).
        DpSgdConfig noisy = DpSgdConfig.builder().noiseMultiplier(100).optDelta(1e-3).optEpochs(3)
                .optExpectedBatchSize(20).optLearningRate(0.05).optSeed(5).build();
        PrivacyAuditResult hidden = audit(noisy, 4, 8).result();
        assertThat(hidden.meanExposure()).isLessThan(maxExposure - 3.0);
        assertThat(hidden.epsilonLowerBound()).isBetween(0.0, hidden.epsilonFormal());
    }

    @Test
    void underDpTheLowerBoundStaysBelowTheFormalEpsilon() {
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(2).optDelta(1e-3).optEpochs(2)
                .optExpectedBatchSize(20).optLearningRate(0.05).optSeed(5).build();
        PrivacyAuditResult r = audit(config, 6).result();
        assertThat(r.epsilonFormal()).isBetween(1.5, 2.0 + 1e-6);
        assertThat(r.epsilonLowerBound()).isBetween(0.0, r.epsilonFormal());
    }

    @Test
    void scoresAreTheModelsOwnNegativeLogLikelihoods() {
        // Independent path: the model's training loss (summed next-token NLL, in float64) of the
        // canary without its closing boundary, minus that of the prefix alone, is the secret's
        // log-perplexity; the loss of the whole line over its predicted tokens is the audit loss.
        LanguageModelEncoder encoder = LanguageModelEncoder.characters(60, true);
        CanaryTemplate template = new CanaryTemplate(CanaryTemplate.DEFAULT_PREFIX, 3, CanaryTemplate.Spelling.NUMERALS);
        ModelConfig config = ModelConfig.builder().task(ModelTask.LANGUAGE_MODEL).vocabSize(encoder.vocabSize())
                .embeddingDim(6).hiddenSize(8).optDataType(DataType.FLOAT64).build();
        try (NDManager manager = NDManager.newBaseManager();
                LstmLanguageModel model = LstmLanguageModel.create(config, manager, 11)) {
            LanguageModelScorer scorer = new LanguageModelScorer(model, encoder, template);
            List<String> candidates = List.of(template.textFor(7), template.textFor(482), template.textFor(999));
            Canary canary = new Canary(482, template.textFor(482), null);
            double[] scores = scorer.canaryScores(canary, candidates, n -> { });
            int[] prefix = encoder.encodePrompt(template.prefix());
            for (int i = 0; i < candidates.size(); i++) {
                int[] ids = encoder.encode(candidates.get(i));
                double expected = lossSum(model, manager, Arrays.copyOf(ids, ids.length - 1)) - lossSum(model, manager, prefix);
                assertThat(scores[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
            }
            List<TextRecord> lines = List.of(TextRecord.of("a", 1, "abcde fghij", null, null),
                    TextRecord.of("a", 2, "the cat sees the sun.", null, null));
            double[] losses = scorer.auditLosses(lines, n -> { });
            for (int i = 0; i < lines.size(); i++) {
                int[] ids = encoder.encode(lines.get(i).text());
                assertThat(losses[i]).isCloseTo(lossSum(model, manager, ids) / (ids.length - 1),
                        org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    private static double lossSum(LstmLanguageModel model, NDManager manager, int[] ids) {
        try (NDManager scope = manager.newSubManager()) {
            Batch batch = new Batch(scope.create(Arrays.stream(ids).asLongStream().toArray(), new Shape(1, ids.length)),
                    scope.create(new long[] {ids.length}), scope.zeros(new Shape(1), DataType.INT64), null);
            return model.lossSum(scope, batch).toType(DataType.FLOAT64, false).getDouble();
        }
    }
}
