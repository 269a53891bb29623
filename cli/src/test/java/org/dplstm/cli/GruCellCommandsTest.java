package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.classifier.TextClassifierTrainer;
import org.dplstm.training.dpsgd.EpochSummary;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.provenance.AuditSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --cell gru}: the cell is recorded in run.json, the model config, report.json and
 * the audit log's run_start; {@code predict}, {@code train --resume} of a run stopped after its
 * first epoch, and a language model's {@code generate} read it back as a GRU.
 */
class GruCellCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    /** Stops a run once its first epoch is checkpointed and logged, as a crash would. */
    private static final class CrashAfterFirstEpoch implements TrainingListener {
        @Override
        public void onEpochEnd(EpochSummary summary) {
            throw new IllegalStateException("simulated crash after epoch " + summary.epoch());
        }
    }

    @Test
    void gruClassifierRunIsRecordedAsGruResumesAfterACrashAndPredicts() throws IOException {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 200, "billing", "access");
        Path valid = TicketFiles.jsonl(dir, "valid.jsonl", 60, "billing", "access");
        Path ledger = dir.resolve("ledger.jsonl");
        Path out = dir.resolve("run");
        TrainCommand command = new TrainCommand();
        new picocli.CommandLine(command).parseArgs("--train", train.toString(), "--valid", valid.toString(), "--cell",
                "gru", "--noise-multiplier", "0.8", "--delta", "1e-3", "--epochs", "4", "--batch-size", "40",
                "--embedding", "8", "--hidden", "8", "--vocab-size", "64", "--lr", "0.05", "--seed", "3");
        TrainingJob.Settings settings = command.options.settings();
        assertThat(settings.toMap()).containsEntry("cell", "gru");

        // the command line's own path, plus a listener that stops the run after its first epoch
        List<TextRecord> records = settings.read(train);
        List<TextRecord> validRecords = settings.read(valid);
        AuditSettings audit = new TrainingJob.AuditOptions(null, ledger, null)
                .settingsFor(TrainingJob.fingerprintOf(train), settings);
        try (TextClassifierTrainer trainer = settings.trainerBuilder().optOutputDirectory(out)
                .optSettingsFile(JSON.writeValueAsString(settings.toMap())).optAudit(audit)
                .optListener(new CrashAfterFirstEpoch()).build()) {
            var run = trainer.prepare(records, validRecords);
            assertThatThrownBy(() -> trainer.train(run)).hasMessageContaining("simulated crash after epoch 1");
        }
        assertThat(CliRunner.run("audit", "verify", out.toString(), "--ledger", ledger.toString()).exitCode())
                .as("a crashed run").isEqualTo(3);
        assertThat(JSON.readTree(out.resolve("model_config.json").toFile()).get("cell").asText()).isEqualTo("gru");
        JsonNode runStart = JSON.readTree(Files.readAllLines(out.resolve("audit.jsonl")).get(0));
        assertThat(runStart.toString()).contains("\"cell\":\"gru\"");

        CliRunner.Result resumed = CliRunner.run("train", "--resume", out.toString(), "--ledger", ledger.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> report = JSON.readValue(out.resolve("report.json").toFile(), Map.class);
        assertThat(report).containsKeys("private", "valid_accuracy", "epsilon", "epsilon_breakdown", "accountant",
                "delta", "noise_multiplier", "sample_rate", "steps", "train_seconds", "model", "config");
        assertThat(report.get("steps")).isEqualTo(20);
        assertThat(((Map<?, ?>) report.get("model")).get("cell")).isEqualTo("gru");
        assertThat(((Map<?, ?>) report.get("config")).get("cell")).isEqualTo("gru");
        assertThat(((Number) report.get("valid_accuracy")).doubleValue()).as("chance: 0.5").isGreaterThan(0.8);
        CliRunner.Result verified = CliRunner.run("audit", "verify", out.toString(), "--ledger", ledger.toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();

        // predict reads the GRU model back: its labels of the validation texts are as accurate as the report says
        // (the texts of two fixed strings, as a DP model with unseeded noise may miss on any one text)
        CliRunner.Result predicted = CliRunner.run("predict", "--model", out.toString(), "--input", valid.toString(),
                "--format", "json");
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        List<String> labels = new ArrayList<>();
        for (String line : predicted.out().strip().lines().toList()) {
            labels.add(JSON.readTree(line).get("label").asText());
        }
        List<String> truth = new ArrayList<>();
        for (String line : Files.readAllLines(valid)) {
            truth.add(JSON.readTree(line).get("label").asText());
        }
        assertThat(labels).hasSameSizeAs(truth);
        long right = java.util.stream.IntStream.range(0, truth.size()).filter(i -> labels.get(i).equals(truth.get(i))).count();
        assertThat((double) right / truth.size()).isEqualTo(((Number) report.get("valid_accuracy")).doubleValue(),
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void gruLanguageModelTrainsAndGenerates() throws IOException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add(i % 2 == 0 ? "the cat sees the sun" : "a dog finds a ball");
        }
        Path train = Files.write(dir.resolve("train.txt"), texts);
        Path out = dir.resolve("lm");
        CliRunner.Result trained = CliRunner.run("train", "--task", "lm", "--cell", "gru", "--train", train.toString(),
                "--no-privacy", "--epochs", "3", "--batch-size", "20", "--embedding", "8", "--hidden", "8",
                "--max-length", "24", "--seed", "1", "--out", out.toString(), "--ledger",
                dir.resolve("ledger.jsonl").toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(JSON.readTree(out.resolve("model_config.json").toFile()).get("cell").asText()).isEqualTo("gru");
        CliRunner.Result generated = CliRunner.run("generate", "--model", out.toString(), "--prompt", "the ",
                "--max-tokens", "10", "--seed", "1");
        assertThat(generated.exitCode()).as(generated.err()).isZero();
        assertThat(generated.out().strip()).isNotEmpty();
    }

    @Test
    void unknownCellIsBadInputNamingTheChoices() {
        Path out = dir.resolve("bad");
        CliRunner.assertBadInputWritesNothing(out, "cell must be one of [lstm, gru], was rnn", "train", "--train",
                dir.resolve("missing.jsonl").toString(), "--cell", "rnn", "--no-privacy", "--out", out.toString());
    }
}
