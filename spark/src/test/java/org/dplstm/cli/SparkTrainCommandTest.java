package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.training.provenance.AuditTrails.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.training.encoders.PublicEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dplstm train --spark-master} and Parquet input, in this JVM (local Spark). */
class SparkTrainCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private static String[] train(Path data, Path out, Path ledger, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--train", data.toString(), "--epsilon", "8",
                "--delta", "1e-4", "--epochs", "2", "--batch-size", "30", "--embedding", "8", "--hidden", "12",
                "--vocab-size", "256", "--out", out.toString(), "--ledger", ledger.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aParquetFolderTrainsOnSparkIntoAnOrdinaryRunDirectory() throws Exception {
        Path data = ParquetTickets.write(dir.resolve("tickets.parquet"), 300, 1, 3);
        Path ledger = Files.writeString(dir.resolve("ledger.jsonl"), "");
        Path run = dir.resolve("run");

        CliRunner.Result trained = CliRunner.run(train(data, run, ledger, "--spark-master", "local[2]",
                "--spark-partitions", "3"));
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        assertThat(run.resolve("audit.jsonl")).exists();
        assertThat(run.resolve("model.bin")).exists();
        CliRunner.Result verified = CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        // the fingerprint: the part files Spark reads, sorted by name, each framed by its length
        List<Path> parts;
        try (Stream<Path> files = Files.list(data)) {
            parts = files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        assertThat(parts).hasSize(3);
        JsonNode entry = JSON.readTree(Files.readAllLines(ledger).get(0));
        assertThat(entry.toString()).contains(DatasetFingerprint.of(parts));
        JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
        assertThat(report.get("steps").asLong()).isEqualTo(20);
        assertThat(report.get("epsilon").asDouble()).isLessThanOrEqualTo(8);
    }

    @Test
    void anUnreachableMasterIsBadInputAndWritesNothing() throws Exception {
        Path data = ParquetTickets.write(dir.resolve("t.parquet"), 40, 2, 1);
        Path ledger = dir.resolve("ledger.jsonl");
        Path run = dir.resolve("run");
        CliRunner.assertBadInputWritesNothing(run, "--spark-master: spark master spark://127.0.0.1:1 is unreachable",
                train(data, run, ledger, "--spark-master", "spark://127.0.0.1:1"));
        assertThat(ledger).doesNotExist();
    }

    @Test
    void parquetWithoutTheNamedColumnIsBadInputAndWritesNothing() throws Exception {
        Path data = ParquetTickets.write(dir.resolve("t.parquet"), 40, 3, 1);
        Path run = dir.resolve("run");
        CliRunner.assertBadInputWritesNothing(run, "must have a column 'body', had [text, label, user]",
                train(data, run, dir.resolve("ledger.jsonl"), "--text-field", "body"));
    }

    @Test
    void aLanguageModelFromTheShippedStartTrainsOnSpark() throws Exception {
        Path data = ParquetTickets.write(dir.resolve("lm.parquet"), 120, 4, 2);
        Path ledger = Files.writeString(dir.resolve("ledger.jsonl"), "");
        Path run = dir.resolve("lm");

        CliRunner.Result trained = CliRunner.run("train", "--task", "lm", "--train", data.toString(),
                "--noise-multiplier", "1.0", "--batch-size", "40", "--epochs", "1", "--seed", "1",
                "--spark-master", "local[2]", "--ledger", ledger.toString(), "--out", run.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        // the shipped start fits (no note about it); public preconditioning, which runs in one process, is off
        assertThat(trained.err().lines().filter(line -> line.startsWith("note:")).toList()).containsExactly(
                "note: public preconditioning (the default of private character-level language models) is off with"
                        + " --gpus and --spark-master: it runs in one process");
        assertThat(JSON.readTree(run.resolve("run.json").toFile()).get("dp_sgd").has("precondition")).isFalse();

        // the shipped public language model is the start, pinned in the log as on one machine
        PublicEncoder shipped = PublicEncoder.named("latin-char-lm");
        JsonNode start = events(run).get(0).get("config").get("run");
        assertThat(start.get("public_encoder").asText()).isEqualTo("latin-char-lm");
        assertThat(start.get("init_model_sha256").asText()).isEqualTo(shipped.sha256());
        JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
        assertThat(report.get("steps").asLong()).isEqualTo(3);
        // the Spark steps moved the weights away from the shipped start
        assertThat(ShippedModels.parameter(run.resolve("model.bin"), "embedding"))
                .isNotEqualTo(ShippedModels.parameter(ShippedModels.copy("latin-char-lm", dir), "embedding"));
        CliRunner.Result verified = CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();
    }
}
