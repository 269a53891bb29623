package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver of a Spark run killed with SIGKILL mid-run, then {@code train --resume} on Spark: the
 * run completes, its log verifies, and its ε covers every step, the killed process's included.
 */
class SparkKillAndResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** N = 200, B = 20, 3 epochs: 30 steps of q = 0.1, 10 an epoch. */
    private static final long PLANNED_STEPS = 30;

    @TempDir Path dir;

    private static List<JsonNode> events(Path run) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("audit.jsonl"))) {
            try {
                events.add(JSON.readTree(line));
            } catch (IOException torn) {
                // a line the kill cut short: the verifier and the resume deal with it
            }
        }
        return events;
    }

    private static boolean checkpointed(Path run, long steps) throws IOException {
        return Files.exists(run.resolve("audit.jsonl")) && events(run).stream().anyMatch(
                e -> e.path("type").asText().equals("checkpoint") && e.get("steps").asLong() >= steps);
    }

    @Test
    void aDriverKilledMidRunResumesOnSparkAndCountsEveryStep() throws Exception {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 200, "billing", "access");
        Path run = dir.resolve("run");
        Path ledger = Files.writeString(dir.resolve("ledger.jsonl"), "");
        List<String> sparkOptions = Arrays.asList(Files.readString(Path.of("target", "java-options")).trim().split("\\s+"));
        Process driver = CliProcess.start(dir.resolve("output.txt"), sparkOptions, "train", "--train", train.toString(),
                "--spark-master", "local[2]", "--noise-multiplier", "1.2", "--delta", "1e-4", "--accountant", "rdp",
                "--epochs", "3", "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--vocab-size", "32",
                "--max-length", "6", "--out", run.toString(), "--ledger", ledger.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (driver.isAlive() && !checkpointed(run, 10) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        driver.destroyForcibly(); // SIGKILL
        assertThat(driver.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(driver.exitValue()).as(Files.readString(dir.resolve("output.txt"))).isEqualTo(137);
        assertThat(events(run).get(events(run).size() - 1).path("type").asText()).isNotEqualTo("run_end");
        assertThat(CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString()).exitCode())
                .isEqualTo(3);

        CliRunner.Result resumed = CliRunner.run("train", "--resume", run.toString(), "--spark-master", "local[2]",
                "--ledger", ledger.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();

        CliRunner.Result verified = CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        List<JsonNode> events = events(run);
        JsonNode end = events.get(events.size() - 1);
        assertThat(end.get("type").asText()).isEqualTo("run_end");
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("resume")).hasSize(1);
        long released = 0;
        for (JsonNode event : end.get("privacy_events")) {
            released += event.get("count").asLong();
        }
        assertThat(released).isEqualTo(PLANNED_STEPS);
        PrivacyAccountant reference = Accountants.newAccountant(AccountantKind.RDP);
        reference.compose(new PrivacyEvent.PoissonGaussian(0.1, 1.2, PLANNED_STEPS));
        JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
        assertThat(report.get("steps").asLong()).isEqualTo(PLANNED_STEPS);
        assertThat(report.get("epsilon").asDouble()).isEqualTo(reference.epsilon(1e-4));
    }
}
