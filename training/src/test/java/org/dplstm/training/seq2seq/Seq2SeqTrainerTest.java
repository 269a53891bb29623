package org.dplstm.training.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.classifier.VocabularySource;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.PrivacyCost;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.session.PreparedTextRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder-decoder trainer as a library: vocabularies, user-level privacy, the translator. */
@Tag("engine")
class Seq2SeqTrainerTest {

    @TempDir Path dir;

    /** Pairs "w3 w1 ..." → "W3 W1 ..." over a small word set, a user per five pairs. */
    private static List<TextRecord> pairs(int count) {
        List<TextRecord> records = new ArrayList<>();
        java.util.Random random = new java.util.Random(count);
        for (int i = 0; i < count; i++) {
            StringBuilder source = new StringBuilder();
            for (int w = 0; w < 4; w++) {
                source.append(w == 0 ? "" : " ").append("word").append(random.nextInt(6));
            }
            records.add(TextRecord.of("pairs", i + 1, source.toString(), source.toString().toUpperCase(), "u" + i / 5));
        }
        return records;
    }

    private static DpSgdConfig.Builder tinyPlan() {
        return DpSgdConfig.builder().noiseMultiplier(1.0).optDelta(1e-4).optEpochs(1).optExpectedBatchSize(20)
                .optSeed(1);
    }

    @Test
    void sourceEmbeddingScaleFollowsTheSourceTokenLevel() throws Exception {
        assertThat(Seq2SeqTrainer.sourceEmbeddingInit(TokenLevel.WORD)).isEqualTo(3.0);
        assertThat(Seq2SeqTrainer.sourceEmbeddingInit(TokenLevel.CHAR)).isEqualTo(1.0);
        // the model a run trains from random weights starts at its source level's scale: ±1 for characters
        // (the default), ±3 for words (docs/ARCHITECTURE.md §3.10)
        List<TextRecord> train = pairs(60);
        assertRunStartsAtSourceScale(Seq2SeqTrainer.builder(), train, 1.0);
        Path words = dir.resolve("words.txt");
        Files.write(words, IntStream.range(0, 200).mapToObj(i -> "word" + i).toList());
        assertRunStartsAtSourceScale(Seq2SeqTrainer.builder().optSourceTokenLevel(TokenLevel.WORD)
                .optSourceVocabulary(VocabularySource.publicFile(words)), train, 3.0);
    }

    /**
     * The run's model-building path (the task's newModel, as TrainingSession.train calls it) gives a
     * source embedding uniform in ±{@code scale}: its largest |value| is at most the scale and, over
     * more than a thousand draws, within 2% of it; and it is the array create gives for that scale
     * and seed.
     */
    private void assertRunStartsAtSourceScale(Seq2SeqTrainer.Builder builder, List<TextRecord> train, double scale) {
        try (Seq2SeqTrainer trainer = builder.config(tinyPlan().build()).optEmbeddingDim(8).optHiddenSize(8)
                .optMaxLength(30).build();
                NDManager manager = NDManager.newBaseManager()) {
            PreparedTextRun<PairEncoder> run = trainer.prepare(train, null);
            ModelConfig config = run.modelConfig();
            try (LstmEncoderDecoder model = trainer.task(run.encoder()).newModel(config, manager, 17);
                    LstmEncoderDecoder expected = LstmEncoderDecoder.create(config, manager, 17, scale)) {
                float[] source = model.parameters().get(model.sourceEmbeddingIndex()).toFloatArray();
                double largest = 0;
                for (float value : source) {
                    largest = Math.max(largest, Math.abs(value));
                }
                assertThat(source.length).isGreaterThan(1000);
                assertThat(largest).isLessThanOrEqualTo(scale).isGreaterThan(0.98 * scale);
                assertThat(source).containsExactly(
                        expected.parameters().get(expected.sourceEmbeddingIndex()).toFloatArray());
            }
        }
    }

    @Test
    void bothSidesDpVocabulariesAreOneComposedCostOfTheRun() {
        // 200 users (5 pairs each): a word's user count (~200) is far above the selection's threshold
        // (1 + 2 sqrt(10) Phi^-1(1 - 1e-6) = 31); with 40 users it passed it only about 92% of the time
        List<TextRecord> train = pairs(1000);
        List<PrivacyCost> oneSide;
        try (Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().config(tinyPlan().build())
                .optSourceTokenLevel(TokenLevel.WORD).optSourceVocabulary(VocabularySource.dpSelected(2.0, 10)).build()) {
            oneSide = trainer.prepare(train, null).plan().priorCosts();
        }
        PreparedTextRun<PairEncoder> both;
        try (Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().config(tinyPlan().build())
                .optSourceTokenLevel(TokenLevel.WORD).optSourceVocabulary(VocabularySource.dpSelected(2.0, 10))
                .optTargetTokenLevel(TokenLevel.WORD).optTargetVocabulary(VocabularySource.dpSelected(2.0, 10)).build()) {
            both = trainer.prepare(train, null);
        }
        assertThat(oneSide).hasSize(1);
        assertThat(both.plan().priorCosts()).hasSize(1);
        PrivacyCost cost = both.plan().priorCosts().get(0);
        assertThat(cost.mechanism()).isEqualTo("vocabulary");
        // each side's selection is a mechanism of its own: both are composed
        assertThat(cost.events()).hasSize(2 * oneSide.get(0).events().size());
        // DP selection kept each side's frequent words (lower-cased by the word tokenizer)
        assertThat(both.encoder().target().vocabulary().id("word1")).isGreaterThan(1);
        assertThat(both.modelConfig().targetVocabSize()).isEqualTo(both.encoder().target().vocabSize());
    }

    @Test
    void userLevelRunTrainsAndItsTranslatorSurvivesSavingAndLoading() throws Exception {
        List<TextRecord> train = pairs(60);
        DpSgdConfig config = tinyPlan().optPrivacyUnit(PrivacyUnit.USER).optExpectedBatchSize(4).build();
        Path out = dir.resolve("run");
        AuditSettings audit = AuditSettings.builder().datasetFingerprint("ab".repeat(32))
                .optLedger(dir.resolve("ledger.jsonl")).build();
        try (Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().config(config).optEmbeddingDim(8).optHiddenSize(8)
                .optMaxLength(30).optOutputDirectory(out).optAudit(audit).build()) {
            TrainingResult result = trainer.fit(train, pairs(10));
            assertThat(result.privacyUnit()).isEqualTo(PrivacyUnit.USER);
            assertThat(result.epochs().get(result.epochs().size() - 1).validMetrics())
                    .containsKeys(TranslationScores.BLEU, TranslationScores.CHRF);
            TranslationOptions options = new TranslationOptions(12, 1);
            String live = trainer.translator().translate("word1 word2", options);
            try (Translator loaded = Translator.load(out, ai.djl.Device.cpu(), AuditKey.none())) {
                assertThat(loaded.translate("word1 word2", options)).isEqualTo(live);
                assertThat(loaded.translate(List.of("a", "b", "c"), new TranslationOptions(5, 2))).hasSize(3);
            }
        }
    }
}
