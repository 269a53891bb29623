package org.dplstm.training.languagemodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.ledger.LedgerRun;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.audit.verify.LogVerifier;
import org.dplstm.audit.verify.VerificationResult;
import org.dplstm.data.io.TextRecord;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.training.classifier.VocabularySource;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.provenance.AuditTrails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail of a word-level language model as a library user gets it
 * (LanguageModelTrainer.Builder#optAudit): the DP vocabulary's cost is logged and composed into
 * run_end's ε and the ledger, as for classifiers.
 */
class AuditedLanguageModelTrainingTest {

    private static final String DATASET = "ef".repeat(32);

    @TempDir Path dir;

    private static List<TextRecord> texts(int count) {
        String[] subjects = {"the cat", "a dog", "my friend", "the bird"};
        String[] verbs = {"sees", "likes", "finds"};
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(TextRecord.of("texts", i + 1, subjects[i % 4] + " " + verbs[i % 3] + " the sun", null, null));
        }
        return records;
    }

    @Test
    void dpWordVocabularyCostIsLoggedAndRunEndEpsilonComposesItWithEveryStep() throws Exception {
        Path run = dir.resolve("run");
        Path ledgerFile = dir.resolve("ledger.jsonl");
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1.5).optDelta(1e-4)
                .optAccountant(AccountantKind.RDP).optEpochs(2).optExpectedBatchSize(40).build();
        AuditSettings audit = AuditSettings.builder().datasetFingerprint(DATASET).optLedger(ledgerFile).build();
        TrainingResult result;
        try (LanguageModelTrainer trainer = LanguageModelTrainer.builder().config(config).optEmbeddingDim(4)
                .optHiddenSize(4).optMaxLength(8).optTokenLevel(TokenLevel.WORD)
                .optVocabulary(VocabularySource.dpSelected(4.0, 10)).optOutputDirectory(run).optAudit(audit).build()) {
            result = trainer.fit(texts(200), null);
        }
        VerificationResult verified = LogVerifier.verify(RunFiles.of(run).log(), AuditKey.none(), LedgerLookup.none());
        assertThat(verified.exitCode()).as(verified.message()).isZero();

        List<JsonNode> events = AuditTrails.events(run);
        JsonNode start = events.get(0);
        assertThat(start.get("config").get("task").asText()).isEqualTo("lm");
        assertThat(start.get("config").get("encoding").get("token_level").asText()).isEqualTo("word");
        JsonNode vocabulary = events.get(1);
        assertThat(vocabulary.get("type").asText()).isEqualTo("vocabulary");
        assertThat(vocabulary.get("method").asText()).isEqualTo("dp");
        List<PrivacyEvent> vocabularyCost = PrivacyEventJson.listFromJson(vocabulary.get("privacy_events"));
        assertThat(vocabularyCost).anyMatch(e -> e instanceof PrivacyEvent.ThresholdDelta);
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("epoch"))
                .allSatisfy(e -> assertThat(e.get("validation_loss").isNull()).as("no validation set").isTrue());

        // Independent composition: the logged vocabulary cost, then 10 DP-SGD steps at q = 40/200, σ = 1.5.
        double expected = AuditTrails.rdpEpsilonOf(vocabularyCost, new PrivacyEvent.PoissonGaussian(0.2, 1.5, 10), 1e-4);
        JsonNode end = events.get(events.size() - 1);
        assertThat(end.get("type").asText()).isEqualTo("run_end");
        assertThat(end.get("epsilon").get("rdp").asDouble()).isCloseTo(expected, within(1e-9 * expected));
        assertThat(result.epsilon()).isCloseTo(expected, within(1e-9 * expected));

        Ledger ledger = Ledger.open(ledgerFile);
        assertThat(ledger.runsOn(DATASET)).singleElement().extracting(LedgerRun::status).isEqualTo(LedgerLookup.Status.COMPLETE);
        assertThat(ledger.totalEpsilon(DATASET, 1e-4, AccountantKind.RDP)).isCloseTo(expected, within(1e-9 * expected));
        assertThat(ledger.runs().get(0).finalLogHash()).contains(verified.lastHash());
    }
}
