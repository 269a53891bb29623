package org.dplstm.training.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.provenance.AuditTrails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail as a library user gets it: TextClassifierTrainer.Builder#optAudit. */
class AuditedTrainingTest {

    private static final String DATASET = "ab".repeat(32);

    @TempDir Path dir;

    @Test
    void dpVocabularyCostIsLoggedAndTheRunEndEpsilonComposesItWithEveryStep() throws Exception {
        List<TextRecord> train = TicketTexts.generate(300, 1);
        List<TextRecord> valid = TicketTexts.generate(60, 2);
        Path run = dir.resolve("run");
        Path ledgerFile = dir.resolve("ledger.jsonl");
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1.5).optDelta(1e-4)
                .optAccountant(AccountantKind.RDP).optEpochs(2).optExpectedBatchSize(60).build();
        AuditSettings audit = AuditSettings.builder().datasetFingerprint(DATASET).optLedger(ledgerFile).build();
        TrainingResult result;
        try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config).optEmbeddingDim(8)
                .optHiddenSize(8).optVocabulary(VocabularySource.dpSelected(8.0, 20)).optOutputDirectory(run)
                .optAudit(audit).build()) {
            result = trainer.fit(train, valid);
        }
        VerificationResult verified = LogVerifier.verify(RunFiles.of(run).log(), AuditKey.none(), LedgerLookup.none());
        assertThat(verified.exitCode()).as(verified.message()).isZero();

        List<JsonNode> events = AuditTrails.events(run);
        JsonNode vocabulary = events.get(1);
        assertThat(vocabulary.get("type").asText()).isEqualTo("vocabulary");
        assertThat(vocabulary.get("method").asText()).isEqualTo("dp");
        List<PrivacyEvent> vocabularyCost = PrivacyEventJson.listFromJson(vocabulary.get("privacy_events"));
        assertThat(vocabularyCost).isNotEmpty();
        assertThat(vocabularyCost).anyMatch(e -> e instanceof PrivacyEvent.ThresholdDelta);

        // Independent composition: the logged vocabulary cost, then 10 DP-SGD steps at q = 60/300, σ = 1.5.
        double expected = AuditTrails.rdpEpsilonOf(vocabularyCost, new PrivacyEvent.PoissonGaussian(0.2, 1.5, 10), 1e-4);
        JsonNode end = events.get(events.size() - 1);
        assertThat(end.get("type").asText()).isEqualTo("run_end");
        assertThat(end.get("epsilon").get("rdp").asDouble()).isCloseTo(expected, within(1e-9 * expected));
        assertThat(result.epsilon()).isCloseTo(expected, within(1e-9 * expected));
        // Without the vocabulary the same steps cost less: the cost really is in the total.
        assertThat(expected).isGreaterThan(
                AuditTrails.rdpEpsilonOf(List.of(), new PrivacyEvent.PoissonGaussian(0.2, 1.5, 10), 1e-4));

        Ledger ledger = Ledger.open(ledgerFile);
        assertThat(ledger.runsOn(DATASET)).singleElement().extracting(LedgerRun::status).isEqualTo(LedgerLookup.Status.COMPLETE);
        assertThat(ledger.totalEpsilon(DATASET, 1e-4, AccountantKind.RDP)).isCloseTo(expected, within(1e-9 * expected));
        assertThat(ledger.runs().get(0).finalLogHash()).contains(verified.lastHash());

        // A finished run is not resumed; an unfinished one (here: the log without its run_end line,
        // a valid prefix) is not resumed on other data. Nothing is appended either time.
        AuditSettings otherData = AuditSettings.builder().datasetFingerprint("cd".repeat(32)).optLedger(ledgerFile).build();
        try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config).optEmbeddingDim(8)
                .optHiddenSize(8).optOutputDirectory(run).optAudit(audit).build()) {
            assertThatThrownBy(() -> trainer.resume(run, train, valid)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("has finished");
        }
        List<String> lines = Files.readAllLines(RunFiles.of(run).log());
        Files.write(RunFiles.of(run).log(), lines.subList(0, lines.size() - 1));
        byte[] logBefore = Files.readAllBytes(RunFiles.of(run).log());
        try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config).optEmbeddingDim(8)
                .optHiddenSize(8).optOutputDirectory(run).optAudit(otherData).build()) {
            assertThatThrownBy(() -> trainer.resume(run, train, valid)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("training data must be the run's");
        }
        assertThat(Files.readAllBytes(RunFiles.of(run).log())).isEqualTo(logBefore);
    }

    @Test
    void aStepRefusedByTheEpsilonCapIsLoggedAndTheRunEndsCleanly() throws Exception {
        List<TextRecord> train = TicketTexts.generate(300, 3);
        Path run = dir.resolve("capped");
        PrivacyAccountant fourSteps = Accountants.newAccountant(AccountantKind.RDP);
        fourSteps.compose(new PrivacyEvent.PoissonGaussian(0.2, 1.5, 4));
        double cap = fourSteps.epsilon(1e-4) * 1.001; // room for 4 of the 10 planned steps, not 5
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1.5).optMaxEpsilon(cap).optDelta(1e-4)
                .optAccountant(AccountantKind.RDP).optEpochs(2).optExpectedBatchSize(60).build();
        AuditSettings audit = AuditSettings.builder().datasetFingerprint(DATASET)
                .optLedger(dir.resolve("ledger.jsonl")).build();
        try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config).optEmbeddingDim(8)
                .optHiddenSize(8).optVocabulary(VocabularySource.hashing(64)).optOutputDirectory(run)
                .optAudit(audit).build()) {
            assertThat(trainer.fit(train, null).steps()).isEqualTo(4);
        }
        VerificationResult verified = LogVerifier.verify(RunFiles.of(run).log(), AuditKey.none(), LedgerLookup.none());
        assertThat(verified.exitCode()).as(verified.message()).isZero();
        List<JsonNode> events = AuditTrails.events(run);
        JsonNode refused = events.stream().filter(e -> e.get("type").asText().equals("budget_refused")).findFirst()
                .orElseThrow();
        assertThat(refused.get("budget_epsilon").asDouble()).isEqualTo(cap);
        assertThat(refused.get("planned_epsilon").asDouble()).isLessThanOrEqualTo(cap);
        assertThat(refused.get("reason").asText()).contains("after 4 steps");
        JsonNode end = events.get(events.size() - 1);
        assertThat(end.get("steps").asLong()).isEqualTo(4);
        assertThat(end.get("epsilon").get("rdp").asDouble()).isLessThanOrEqualTo(cap);
    }

    @Test
    void auditNeedsAnOutputDirectoryAndABudgetNeedsALedger() {
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1.0).build();
        AuditSettings audit = AuditSettings.builder().datasetFingerprint(DATASET).build();
        assertThatThrownBy(() -> TextClassifierTrainer.builder().config(config).optAudit(audit).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("audit needs an output directory (for audit.jsonl), was none");
        assertThatThrownBy(() -> AuditSettings.builder().datasetFingerprint(DATASET).optDatasetBudget(3).build())
                .hasMessage("dataset budget needs a ledger (the runs it composes with), was none");
        assertThatThrownBy(() -> AuditSettings.builder().datasetFingerprint("raw text").build())
                .hasMessage("dataset fingerprint must be 64 lower-case hex digits, was raw text");
    }
}
