package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory is claimed atomically and only after every check: a refusal leaves nothing
 * behind (so the retry is not refused as "not empty"), and of two runs given the same directory
 * exactly one proceeds while the other exits 2 without touching the winner's files.
 */
class RunDirectoryClaimTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private List<String> train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--epochs", "1",
                "--embedding", "4", "--hidden", "4", "--vocab-size", "32", "--max-length", "6",
                "--out", out.toString(), "--ledger", dir.resolve("ledger.jsonl").toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aRefusalFoundAfterTheChecksOfOptionsLeavesNothingAndTheRetryRuns() throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path out = dir.resolve("run");
        // σ = 1e5 plans ε = 0, which the audit trail's plan refuses: found late, but still before anything is written.
        CliRunner.assertBadInputWritesNothing(out, "--noise-multiplier 100000.0 is so large",
                train(data, out, "--noise-multiplier", "1e5", "--batch-size", "20").toArray(String[]::new));
        assertThat(dir.resolve("ledger.jsonl")).doesNotExist();

        Path existing = Files.createDirectory(dir.resolve("existing"));
        CliRunner.Result refused = CliRunner.run(train(data, existing, "--noise-multiplier", "1e5", "--batch-size", "20")
                .toArray(String[]::new));
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        try (Stream<Path> left = Files.list(existing)) {
            assertThat(left).as("an existing directory is left as it was: empty").isEmpty();
        }

        CliRunner.Result retried = CliRunner.run(train(data, out, "--noise-multiplier", "1.0", "--batch-size", "20").toArray(String[]::new));
        assertThat(retried.exitCode()).as(retried.err()).isZero();
    }

    @Test
    void ofTwoRunsOnTheSameDirectoryExactlyOneWinsAndTheOtherTouchesNothing() throws Exception {
        // Enough records that reading, sanitizing and calibrating keep both busy past the early checks.
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 4000, "billing", "access");
        for (long gapMillis : new long[] {0, 200}) {
            Path out = dir.resolve("shared-" + gapMillis);
            Path firstOutput = dir.resolve("first-" + gapMillis + ".txt");
            Path secondOutput = dir.resolve("second-" + gapMillis + ".txt");
            Process first = CliProcess.start(firstOutput,
                    train(data, out, "--epsilon", "8", "--batch-size", "400", "--seed", "1").toArray(String[]::new));
            Thread.sleep(gapMillis);
            Process second = CliProcess.start(secondOutput,
                    train(data, out, "--epsilon", "8", "--batch-size", "400", "--seed", "2").toArray(String[]::new));
            assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();

            String outputs = Files.readString(firstOutput) + Files.readString(secondOutput);
            assertThat(List.of(first.exitValue(), second.exitValue())).as(outputs).containsExactlyInAnyOrder(0, 2);
            boolean firstWon = first.exitValue() == 0;
            assertThat(Files.readString(firstWon ? secondOutput : firstOutput)).contains("dplstm: ").contains(out.toString());

            // The winner's files are its own: its settings, and a log that verifies intact.
            @SuppressWarnings("unchecked")
            Map<String, Object> settings = JSON.readValue(out.resolve("run.json").toFile(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> dpSgd = (Map<String, Object>) settings.get("dp_sgd");
            assertThat(((Number) dpSgd.get("seed")).longValue()).as(outputs).isEqualTo(firstWon ? 1 : 2);
            CliRunner.Result verified = CliRunner.run("audit", "verify", out.toString(),
                    "--ledger", dir.resolve("ledger.jsonl").toString());
            assertThat(verified.exitCode()).as(verified.out()).isZero();
        }
    }
}
