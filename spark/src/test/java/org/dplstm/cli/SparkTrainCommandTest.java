package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.dplstm.audit.log.DatasetFingerprint;
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
}
