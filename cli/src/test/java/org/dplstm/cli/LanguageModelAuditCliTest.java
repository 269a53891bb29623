package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.dplstm.training.provenance.AuditTrails.assertLogHoldsNoText;
import static org.dplstm.training.provenance.AuditTrails.events;
import static org.dplstm.training.provenance.AuditTrails.framedSha256;
import static org.dplstm.training.provenance.AuditTrails.keyFile;
import static org.dplstm.training.provenance.AuditTrails.sha256;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A language-model run ({@code train --task lm}) has the audit trail of a classifier run: a log
 * that verifies (keyed), names the task, its tokens and sanitization without any raw text, is
 * caught when one byte changes, a ledger entry whose ε {@code budget} recomputes, a dataset budget
 * that refuses a second run writing nothing, and a report that shows perplexity.
 */
class LanguageModelAuditCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every fourth line carries an e-mail address (the sanitizer must count and redact them). */
    private static final int TRAIN_LINES = 120;

    @TempDir Path dir;

    /** N = 120, B = 30: q = 0.25, 4 steps an epoch, 8 steps. */
    private static List<String> trainArgs(Path train, Path valid, Path out, Path ledger, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--task", "lm", "--train", train.toString(),
                "--noise-multiplier", "0.8", "--delta", "1e-3", "--epochs", "2", "--batch-size", "30",
                "--embedding", "8", "--hidden", "8", "--max-length", "48", "--lr", "0.05", "--seed", "3",
                "--threads", "1", "--out", out.toString(), "--ledger", ledger.toString()));
        if (valid != null) {
            args.addAll(List.of("--valid", valid.toString()));
        }
        args.addAll(List.of(extra));
        return args;
    }

    private static double pldEpsilon(String sampleRate, String noiseMultiplier, long steps, String delta)
            throws IOException {
        CliRunner.Result budget = CliRunner.run("budget", "--format", "json", "--accountant", "pld",
                "--sample-rate", sampleRate, "--noise-multiplier", noiseMultiplier, "--steps", Long.toString(steps),
                "--delta", delta);
        assertThat(budget.exitCode()).as(budget.err()).isZero();
        return JSON.readTree(budget.out()).get("epsilon").get("pld").asDouble();
    }

    @Test
    void languageModelRunHasAVerifiedKeyedTrailLedgerEntryAndPerplexityReport() throws Exception {
        Path train = SentenceFiles.withEmails(dir, "train.txt", TRAIN_LINES);
        Path valid = SentenceFiles.withEmails(dir, "valid.txt", 30);
        Path run = dir.resolve("lm");
        Path ledger = dir.resolve("ledger.jsonl");
        Path key = keyFile(dir);

        CliRunner.Result trained = CliRunner.run(trainArgs(train, valid, run, ledger, "--key-file", key.toString())
                .toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        assertThat(CliRunner.assertKeyedRunVerifies(run, key, ledger).out()).startsWith("INTACT");

        // The classifier's events and write order: each checkpoint is durable before its epoch is logged.
        List<JsonNode> events = events(run);
        assertThat(events).extracting(e -> e.get("type").asText() + (e.has("steps") ? "@" + e.get("steps").asLong() : ""))
                .containsExactly("run_start", "vocabulary", "checkpoint@0", "checkpoint@4", "epoch@4", "checkpoint@8",
                        "epoch@8", "run_end@8");
        assertThat(events).allSatisfy(e -> assertThat(e.get("alg").asText()).isEqualTo("hmac-sha256"));
        assertLogHoldsNoText(run, List.of("jane.doe", "example.com", "the cat", "some tea"));

        JsonNode start = events.get(0);
        assertThat(start.get("dataset_fingerprint").asText()).isEqualTo(framedSha256(train));
        JsonNode config = start.get("config");
        assertThat(config.get("task").asText()).isEqualTo("lm");
        assertThat(config.get("encoding").get("token_level").asText()).isEqualTo("char");
        assertThat(config.get("encoding").get("max_length").asInt()).isEqualTo(48);
        assertThat(config.get("model").get("embedding_dim").asInt()).isEqualTo(8);
        assertThat(config.get("model").get("hidden_size").asInt()).isEqualTo(8);
        assertThat(config.get("vocabulary").asText()).isEqualTo("public_charset");
        assertThat(start.get("sanitization_config").get("enabled").asBoolean()).isTrue();
        assertThat(start.get("sanitization_report").get("records_in").asLong()).isEqualTo(TRAIN_LINES);
        assertThat(start.get("sanitization_report").get("pii").get("EMAIL").asLong()).isEqualTo(TRAIN_LINES / 4);
        assertThat(start.get("planned_steps").asLong()).isEqualTo(8);
        assertThat(events.get(1).get("method").asText()).isEqualTo("public_charset");
        assertThat(events.get(1).get("privacy_events").size()).as("a public charset costs no privacy").isZero();
        assertThat(events.get(5).get("files").get("lm_encoder.json").asText())
                .isEqualTo(sha256(Files.readAllBytes(run.resolve("lm_encoder.json"))));
        assertThat(events.get(5).get("files").get("checkpoint.bin").asText())
                .isEqualTo(sha256(Files.readAllBytes(run.resolve("checkpoint.bin"))));
        JsonNode end = events.get(7);
        assertThat(end.get("model_sha256").asText()).isEqualTo(sha256(Files.readAllBytes(run.resolve("model.bin"))));
        JsonNode lastEpoch = events.get(6);
        assertThat(lastEpoch.get("validation_loss").isNumber()).isTrue();

        // report: perplexity, not accuracy; ε as `budget` recomputes it from the reported figures.
        JsonNode runReport = JSON.readTree(run.resolve("report.json").toFile());
        CliRunner.Result reported = CliRunner.run("report", run.toString(), "--format", "json", "--key-file",
                key.toString(), "--ledger", ledger.toString());
        assertThat(reported.exitCode()).as(reported.err()).isZero();
        JsonNode report = JSON.readTree(reported.out());
        assertThat(report.get("task").asText()).isEqualTo("lm");
        assertThat(report.get("verification").get("status").asText()).isEqualTo("intact");
        assertThat(report.get("valid_perplexity").asDouble())
                .isCloseTo(Math.exp(lastEpoch.get("validation_loss").asDouble()), within(1e-9));
        double budgetEpsilon = pldEpsilon("0.25", "0.8", 8, "1e-3");
        assertThat(report.get("sample_rate").asDouble()).isEqualTo(0.25);
        assertThat(report.get("epsilon").asDouble()).isCloseTo(budgetEpsilon, within(1e-9 * budgetEpsilon));
        assertThat(report.get("epsilon_recomputation_agrees").asBoolean()).isTrue();
        assertThat(runReport.get("valid_perplexity").asDouble()).isEqualTo(report.get("valid_perplexity").asDouble());
        CliRunner.Result markdown = CliRunner.run("report", run.toString(), "--key-file", key.toString(),
                "--ledger", ledger.toString());
        assertThat(markdown.exitCode()).as(markdown.err()).isZero();
        assertThat(markdown.out()).contains("validation perplexity").doesNotContain("validation accuracy")
                .contains("language model");

        // The reservation made when the run started, then its completion.
        List<String> ledgerLines = Files.readAllLines(ledger);
        assertThat(ledgerLines).hasSize(2);
        assertThat(JSON.readTree(ledgerLines.get(0)).get("type").asText()).isEqualTo("reservation");
        JsonNode entry = JSON.readTree(ledgerLines.get(1));
        assertThat(entry.get("log_hash").asText()).isEqualTo(end.get("hash").asText());
        assertThat(entry.get("epsilon").asDouble()).isCloseTo(budgetEpsilon, within(1e-9 * budgetEpsilon));
        assertThat(entry.get("dataset_fingerprint").asText()).isEqualTo(start.get("dataset_fingerprint").asText());

        // One byte changed in the middle of the log: tampering (exit 1), naming the line.
        Path logFile = run.resolve("audit.jsonl");
        byte[] bytes = Files.readAllBytes(logFile);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int lineStart = 0;
        for (int i = 0; i < 4; i++) {
            lineStart = text.indexOf('\n', lineStart) + 1;
        }
        int digit = text.indexOf("\"validation_loss\":", lineStart) + "\"validation_loss\":".length();
        assertThat(digit).isLessThan(text.indexOf('\n', lineStart));
        bytes[digit] = (byte) (bytes[digit] == '9' ? '8' : bytes[digit] + 1);
        Files.write(logFile, bytes);
        CliRunner.Result tampered = CliRunner.run("audit", "verify", run.toString(), "--key-file", key.toString(),
                "--ledger", ledger.toString());
        assertThat(tampered.exitCode()).as(tampered.out()).isEqualTo(1);
        assertThat(tampered.out()).contains("TAMPERED").contains("line 5");
    }

    @Test
    void datasetBudgetRefusesASecondLanguageModelRunAndWritesNothing() throws Exception {
        Path train = SentenceFiles.withEmails(dir, "train.txt", TRAIN_LINES);
        Path ledger = dir.resolve("ledger.jsonl");
        CliRunner.Result first = CliRunner.run(trainArgs(train, null, dir.resolve("a"), ledger).toArray(String[]::new));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.readAllLines(ledger)).as("reservation and completion").hasSize(2);

        // Two identical runs compose as one run of twice the steps (one accountant, not a sum of ε).
        double two = pldEpsilon("0.25", "0.8", 16, "1e-3");
        Path refused = dir.resolve("b");
        CliRunner.assertOverBudgetRefused(trainArgs(train, null, refused, ledger, "--dataset-budget",
                Double.toString(two * 0.999)), refused, ledger);

        CliRunner.Result within = CliRunner.run(trainArgs(train, null, dir.resolve("c"), ledger, "--dataset-budget",
                Double.toString(two * 1.001)).toArray(String[]::new));
        assertThat(within.exitCode()).as(within.err()).isZero();
        assertThat(Files.readAllLines(ledger)).hasSize(4);
        CliRunner.Result verified = CliRunner.run("audit", "verify", dir.resolve("c").toString(), "--ledger",
                ledger.toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();
    }
}
