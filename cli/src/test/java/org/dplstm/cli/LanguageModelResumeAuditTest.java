package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A language-model run killed (SIGKILL, a real process) after its first epoch's checkpoint, then
 * {@code train --resume}: the resumed run continues the same hash chain (every complete line of
 * the killed run's log stays, byte for byte, followed by a resume event), completes, verifies
 * intact, and its ledger entry's ε covers every planned step.
 */
class LanguageModelResumeAuditTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double DELTA = 1e-3;
    /** N = 60, B = 20: 3 steps an epoch, 40 epochs: long enough to be killed mid-run. */
    private static final long STEPS_PER_EPOCH = 3;
    private static final long PLANNED_STEPS = 120;

    @TempDir Path dir;

    /** The log's complete lines (a line torn by the kill is left out). */
    private static List<String> completeLines(Path runDir) throws IOException {
        Path log = runDir.resolve("audit.jsonl");
        if (!Files.exists(log)) {
            return List.of();
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        lines.remove(lines.size() - 1); // after the last newline: empty, or a torn line
        return lines;
    }

    private static boolean hasCheckpoint(Path runDir, long steps) throws IOException {
        for (String line : completeLines(runDir)) {
            JsonNode event = JSON.readTree(line);
            if (event.path("type").asText().equals("checkpoint") && event.path("steps").asLong() >= steps) {
                return true;
            }
        }
        return false;
    }

    @Test
    void resumedLanguageModelRunContinuesTheSameChainToAVerifiedLedgerEntry() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            texts.add((i % 2 == 0 ? "the cat sees the sun " : "a dog finds a ball ") + i);
        }
        Path train = Files.write(dir.resolve("train.txt"), texts);
        Path run = dir.resolve("run");
        Path ledger = Files.writeString(dir.resolve("ledger.jsonl"), "");
        Path output = dir.resolve("output.txt");

        Process process = CliProcess.start(output, "train", "--task", "lm", "--train", train.toString(), "--noise-multiplier", "1.0",
                "--delta", Double.toString(DELTA), "--accountant", "rdp", "--epochs", "40", "--batch-size", "20",
                "--embedding", "4", "--hidden", "4", "--max-length", "24", "--threads", "1",
                "--out", run.toString(), "--ledger", ledger.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (process.isAlive() && System.nanoTime() < deadline && !hasCheckpoint(run, STEPS_PER_EPOCH)) {
            Thread.sleep(10);
        }
        process.destroyForcibly(); // SIGKILL on Linux
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed mid-run: " + Files.readString(output)).isEqualTo(137);

        CliRunner.Result crashed = CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString());
        assertThat(crashed.exitCode()).as(crashed.out()).isEqualTo(3);
        List<String> before = completeLines(run);
        assertThat(before).isNotEmpty();
        // The killed run counts against its dataset with its whole plan: reserved when it started.
        PrivacyAccountant planned = Accountants.newAccountant(AccountantKind.RDP);
        planned.compose(new PrivacyEvent.PoissonGaussian(20.0 / 60, 1.0, PLANNED_STEPS));
        assertThat(Files.readAllLines(ledger)).as("the killed run's reservation").singleElement()
                .satisfies(line -> assertThat(JSON.readTree(line).get("type").asText()).isEqualTo("reservation"))
                .satisfies(line -> assertThat(JSON.readTree(line).get("epsilon").asDouble())
                        .isEqualTo(planned.epsilon(DELTA)));
        assertThat(crashed.out()).contains("ledger: run").contains("is reserved");

        CliRunner.Result resumed = CliRunner.run("train", "--resume", run.toString(), "--ledger", ledger.toString(),
                "--threads", "1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("validation perplexity");

        List<String> after = completeLines(run);
        assertThat(after.subList(0, before.size())).as("the killed run's lines, unchanged").isEqualTo(before);
        List<String> types = new ArrayList<>();
        for (String line : after) {
            types.add(JSON.readTree(line).get("type").asText());
        }
        assertThat(types.get(0)).isEqualTo("run_start");
        assertThat(types).filteredOn("run_start"::equals).hasSize(1);
        assertThat(types.subList(before.size(), after.size())).contains("resume").last().isEqualTo("run_end");
        JsonNode end = JSON.readTree(after.get(after.size() - 1));
        assertThat(end.get("steps").asLong()).isEqualTo(PLANNED_STEPS);

        CliRunner.Result verified = CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        assertThat(verified.out()).contains("ledger: the log's final hash matches");

        // The resume continued the reservation; the completion's ε: every planned step of the
        // Poisson-subsampled Gaussian (q = 20/60, σ = 1).
        List<String> ledgerLines = Files.readAllLines(ledger);
        assertThat(ledgerLines).hasSize(2);
        assertThat(JSON.readTree(ledgerLines.get(1)).get("type").asText()).isEqualTo("run");
        assertThat(JSON.readTree(ledgerLines.get(1)).get("epsilon").asDouble()).isEqualTo(planned.epsilon(DELTA));
    }
}
