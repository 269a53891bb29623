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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real training run's audit trail, as a script sees it: the log verifies (and names the ledger
 * match), holds every event and no raw text, its hashes match the files, the report's ε is what
 * {@code budget} recomputes, and the ledger refuses a run that would exceed a dataset budget.
 */
class TrainingAuditCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path trainFile(String name, int count) throws IOException {
        Random random = new Random(name.hashCode());
        String[][] words = {{"refund", "charged", "invoice", "payment"}, {"password", "login", "locked", "reset"}};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(2);
            String text = words[label][random.nextInt(4)] + " please " + words[label][random.nextInt(4)]
                    + (i % 4 == 0 ? " mail jane.doe" + i + "@example.com" : "");
            lines.add(JSON.writeValueAsString(Map.of("text", text, "label", label == 0 ? "billing" : "access")));
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    private static List<String> trainArgs(Path train, Path valid, Path out, Path ledger, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--train", train.toString(), "--noise-multiplier", "1.0",
                "--delta", "1e-3", "--epochs", "2", "--batch-size", "40", "--embedding", "8", "--hidden", "8",
                "--vocab-size", "64", "--max-length", "8", "--lr", "0.05", "--seed", "5", "--token-level", "word",
                "--out", out.toString(), "--ledger", ledger.toString()));
        if (valid != null) {
            args.addAll(List.of("--valid", valid.toString()));
        }
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aTrainedRunHasAVerifiedAuditTrailReportAndLedgerEntry() throws Exception {
        Path train = trainFile("train.jsonl", 200);
        Path valid = trainFile("valid.jsonl", 40);
        Path run = dir.resolve("run");
        Path ledger = dir.resolve("ledger.jsonl");
        Path key = keyFile(dir);

        CliRunner.Result trained = CliRunner.run(trainArgs(train, valid, run, ledger, "--key-file", key.toString())
                .toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        // Keyed: without the key the log cannot be checked (and is not taken as intact).
        CliRunner.assertKeyedRunVerifies(run, key, ledger);

        // N = 200, B = 40: 5 steps an epoch, 10 steps; a checkpoint is durable before its epoch is logged.
        List<JsonNode> events = events(run);
        assertThat(events).extracting(e -> e.get("type").asText() + (e.has("steps") ? "@" + e.get("steps").asLong() : ""))
                .containsExactly("run_start", "vocabulary", "checkpoint@0", "checkpoint@5", "epoch@5", "checkpoint@10",
                        "epoch@10", "run_end@10");
        assertThat(events).allSatisfy(e -> assertThat(e.get("alg").asText()).isEqualTo("hmac-sha256"));

        assertLogHoldsNoText(run, List.of("jane.doe", "example.com", "refund", "password", "please"));

        JsonNode start = events.get(0);
        assertThat(start.get("dataset_fingerprint").asText()).isEqualTo(framedSha256(train));
        assertThat(start.get("sanitization_report").get("pii").get("EMAIL").asLong()).isEqualTo(50);
        assertThat(start.get("sanitization_report").get("records_in").asLong()).isEqualTo(200);
        assertThat(start.get("sanitization_config").get("enabled").asBoolean()).isTrue();
        assertThat(start.get("config").get("dp_sgd").get("noise_multiplier").asDouble()).isEqualTo(1.0);
        assertThat(start.get("engine").asText()).contains("PyTorch");
        assertThat(start.get("planned_steps").asLong()).isEqualTo(10);
        assertThat(events.get(1).get("method").asText()).isEqualTo("hash");
        assertThat(events.get(1).get("privacy_events").size()).isZero();

        JsonNode lastCheckpoint = events.get(5);
        assertThat(lastCheckpoint.get("files").get("checkpoint.bin").asText())
                .isEqualTo(sha256(Files.readAllBytes(run.resolve("checkpoint.bin"))));
        assertThat(lastCheckpoint.get("files").get("vocabulary.json").asText())
                .isEqualTo(sha256(Files.readAllBytes(run.resolve("vocabulary.json"))));
        JsonNode end = events.get(7);
        assertThat(end.get("model_sha256").asText()).isEqualTo(sha256(Files.readAllBytes(run.resolve("model.bin"))));
        JsonNode epoch = events.get(6);
        assertThat(epoch.get("validation_accuracy").isNumber()).isTrue();

        // report --format json: the figures at the top level, ε as `budget` recomputes it from them.
        CliRunner.Result reported = CliRunner.run("report", run.toString(), "--format", "json", "--key-file", key.toString(),
                "--ledger", ledger.toString());
        assertThat(reported.exitCode()).as(reported.err()).isZero();
        JsonNode report = JSON.readTree(reported.out());
        assertThat(report.get("verification").get("status").asText()).isEqualTo("intact");
        assertThat(report.get("accountant").asText()).isEqualTo("pld");
        CliRunner.Result budget = CliRunner.run("budget", "--format", "json", "--accountant", "pld",
                "--sample-rate", report.get("sample_rate").asText(), "--noise-multiplier",
                report.get("noise_multiplier").asText(), "--steps", report.get("steps").asText(),
                "--delta", report.get("delta").asText());
        assertThat(budget.exitCode()).as(budget.err()).isZero();
        double budgetEpsilon = JSON.readTree(budget.out()).get("epsilon").get("pld").asDouble();
        assertThat(report.get("steps").asLong()).isEqualTo(10);
        assertThat(report.get("sample_rate").asDouble()).isEqualTo(0.2);
        assertThat(report.get("epsilon").asDouble()).isCloseTo(budgetEpsilon, within(1e-9 * budgetEpsilon));
        assertThat(epoch.get("epsilon").get("pld").asDouble()).isCloseTo(budgetEpsilon, within(1e-9 * budgetEpsilon));
        assertThat(report.get("epsilon_recomputation_agrees").asBoolean()).isTrue();

        CliRunner.Result markdown = CliRunner.run("report", run.toString(), "--key-file", key.toString(),
                "--ledger", ledger.toString());
        assertThat(markdown.exitCode()).as(markdown.err()).isZero();
        assertThat(markdown.out()).contains(report.get("dataset_fingerprint").asText());
        Path html = dir.resolve("report.html");
        CliRunner.Result htmlRun = CliRunner.run("report", run.toString(), "--format", "html", "--out", html.toString(),
                "--key-file", key.toString(), "--ledger", ledger.toString());
        assertThat(htmlRun.exitCode()).as(htmlRun.err()).isZero();
        assertThat(Files.readString(html)).contains("data:image/png;base64,");

        // The run reserved its planned ε when it started, and its completion carries the log's
        // final hash and the ε it spent.
        List<String> ledgerLines = Files.readAllLines(ledger);
        assertThat(ledgerLines).hasSize(2);
        JsonNode reservation = JSON.readTree(ledgerLines.get(0));
        assertThat(reservation.get("type").asText()).isEqualTo("reservation");
        assertThat(reservation.get("run_id").asText()).isEqualTo(start.get("run_id").asText());
        assertThat(reservation.get("epsilon").asDouble()).isEqualTo(start.get("planned_epsilon").asDouble());
        JsonNode entry = JSON.readTree(ledgerLines.get(1));
        assertThat(entry.get("type").asText()).isEqualTo("run");
        assertThat(entry.get("log_hash").asText()).isEqualTo(end.get("hash").asText());
        assertThat(entry.get("epsilon").asDouble()).isEqualTo(report.get("epsilon").asDouble());
        assertThat(entry.get("dataset_fingerprint").asText()).isEqualTo(start.get("dataset_fingerprint").asText());
    }

    @Test
    void datasetBudgetRefusesARunThatWouldExceedItAndWritesNothing() throws Exception {
        Path train = trainFile("train.jsonl", 200);
        Path ledger = dir.resolve("ledger.jsonl");
        CliRunner.Result first = CliRunner.run(trainArgs(train, null, dir.resolve("a"), ledger).toArray(String[]::new));
        assertThat(first.exitCode()).as(first.err()).isZero();
        double one = JSON.readTree(dir.resolve("a").resolve("report.json").toFile()).get("epsilon").asDouble();

        // Two identical runs compose as one run of twice the steps (one accountant, not a sum of ε).
        CliRunner.Result budget = CliRunner.run("budget", "--format", "json", "--accountant", "pld", "--sample-rate", "0.2",
                "--noise-multiplier", "1.0", "--steps", "20", "--delta", "1e-3");
        double two = JSON.readTree(budget.out()).get("epsilon").get("pld").asDouble();
        assertThat(two).isGreaterThan(one).isLessThan(2 * one);

        Path refused = dir.resolve("b");
        CliRunner.assertOverBudgetRefused(trainArgs(train, null, refused, ledger, "--dataset-budget",
                Double.toString(two * 0.999)), refused, ledger);

        CliRunner.Result noPrivacy = CliRunner.run("train", "--train", train.toString(), "--no-privacy", "--batch-size", "40",
                "--out", refused.toString(), "--ledger", ledger.toString(), "--dataset-budget", "100");
        assertThat(noPrivacy.exitCode()).isEqualTo(2);
        assertThat(noPrivacy.err()).contains("cannot admit a run without privacy");
        assertThat(refused).doesNotExist();

        CliRunner.Result within = CliRunner.run(trainArgs(train, null, dir.resolve("c"), ledger, "--dataset-budget",
                Double.toString(two * 1.001)).toArray(String[]::new));
        assertThat(within.exitCode()).as(within.err()).isZero();
        CliRunner.Result listed = CliRunner.run("ledger", "--ledger", ledger.toString(), "--format", "json",
                "--accountant", "pld", "--delta", "1e-3");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("\"" + dir.resolve("c").toAbsolutePath() + "\"");
        assertThat(Files.readAllLines(ledger)).as("a reservation and a completion per admitted run").hasSize(4);
    }
}
