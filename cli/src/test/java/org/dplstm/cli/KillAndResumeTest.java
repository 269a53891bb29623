package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.training.dpsgd.TrainingCheckpoint;
import org.dplstm.training.provenance.AuditTrails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety with real processes: {@code dplstm train} is killed with SIGKILL at random moments
 * (the first run and then each resumed one), and after every kill the audit log verifies as a
 * crash (never as tampering), the checkpoint's accountant history covers every step its model has
 * seen, and nothing published in the log is ahead of the checkpoint. The last resume completes:
 * its log verifies intact and its ε covers every step.
 */
class KillAndResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double DELTA = 1e-4;
    /**
     * N = 400, B = 20, 10 epochs: 200 steps. Each kill lands at most one epoch plus
     * {@link #MAX_KILL_DELAY_MS} after a checkpoint the killed process wrote itself, so four kills
     * cannot reach the end of the run however fast the machine (a run that ends before its kill
     * would test nothing).
     */
    private static final long PLANNED_STEPS = 200;
    private static final int MAX_KILL_DELAY_MS = 100;

    @TempDir Path dir;

    private static long checkpointsIn(Path runDir) throws IOException {
        return Files.exists(runDir.resolve("audit.jsonl"))
                ? events(runDir).stream().filter(e -> e.path("type").asText().equals("checkpoint")).count() : 0;
    }

    /**
     * Waits until the run's log holds a checkpoint after a step of this process. A fresh run
     * ({@code before} = 0) first checkpoints its initial state, so it needs two; a resume's first
     * checkpoint is already past its start.
     */
    private static void awaitOwnCheckpoint(Path runDir, long before, Process process) throws Exception {
        long wanted = before == 0 ? 2 : before + 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (process.isAlive() && System.nanoTime() < deadline && checkpointsIn(runDir) < wanted) {
            Thread.sleep(5);
        }
        assertThat(process.isAlive()).as("the process is still training when it is killed").isTrue();
    }

    /** SIGKILLs {@code process} a random moment (a step, an evaluation, a write) after its own checkpoint. */
    private static void killMidRun(Path runDir, long checkpointsBefore, Process process, Random random)
            throws Exception {
        awaitOwnCheckpoint(runDir, checkpointsBefore, process);
        Thread.sleep(random.nextInt(MAX_KILL_DELAY_MS));
        process.destroyForcibly(); // SIGKILL on Linux
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed, not finished").isEqualTo(137);
    }

    private static double epsilon(List<PrivacyEvent> history) {
        PrivacyAccountant accountant = Accountants.newAccountant(AccountantKind.RDP);
        history.forEach(accountant::compose);
        return history.isEmpty() ? 0.0 : accountant.epsilon(DELTA);
    }

    private static long stepsIn(List<PrivacyEvent> history) {
        return history.stream().mapToLong(e -> ((PrivacyEvent.PoissonGaussian) e).count()).sum();
    }

    private static List<JsonNode> events(Path runDir) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException torn) {
                    // A torn last line (the kill cut a write short): the verifier reports it.
                }
            }
        }
        return events;
    }

    /**
     * The checkpoint a resume continues from: the one the log's last checkpoint event names. A kill
     * after that event and before the rename leaves it synced under its temporary name.
     */
    private static Path durableCheckpoint(Path runDir) throws Exception {
        JsonNode last = events(runDir).stream().filter(e -> e.path("type").asText().equals("checkpoint"))
                .reduce((a, b) -> b).orElseThrow();
        String logged = last.get("files").get("checkpoint.bin").asText();
        Path pending = AtomicFile.temporaryOf(runDir.resolve("checkpoint.bin"));
        Path durable = Files.isRegularFile(pending) && sha256(pending).equals(logged) ? pending : runDir.resolve("checkpoint.bin");
        assertThat(sha256(durable)).as("the checkpoint in place is the one the log names").isEqualTo(logged);
        return durable;
    }

    private static String sha256(Path file) throws Exception {
        return AuditTrails.sha256(Files.readAllBytes(file));
    }

    @Test
    void trainingKilledAtRandomPointsResumesToACompleteVerifiedRunThatCountsEveryStep() throws Exception {
        Random random = new Random();
        Path train = dir.resolve("train.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String label = i % 2 == 0 ? "billing" : "access";
            lines.add(JSON.writeValueAsString(Map.of("text", (i % 2 == 0 ? "refund my payment " : "reset my login ") + i,
                    "label", label)));
        }
        Files.write(train, lines);
        Path run = dir.resolve("run");
        Path ledger = Files.writeString(dir.resolve("ledger.jsonl"), ""); // verify --ledger wants an existing file
        Path output = dir.resolve("output.txt");

        Process process = CliProcess.start(output, "train", "--train", train.toString(), "--noise-multiplier", "1.2",
                "--delta", Double.toString(DELTA), "--accountant", "rdp", "--epochs", "10", "--batch-size", "20",
                "--embedding", "4", "--hidden", "4", "--vocab-size", "32", "--max-length", "6", "--micro-batch", "32",
                "--out", run.toString(), "--ledger", ledger.toString());
        double checkpointedEpsilon = 0;
        long checkpointsBefore = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int round = 0; round < 3; round++) {
                killMidRun(run, checkpointsBefore, process, random);

                CliRunner.Result verified = CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString());
                assertThat(verified.exitCode()).as(verified.out()).isIn(0, 3);

                TrainingCheckpoint checkpoint;
                try (NDManager scope = manager.newSubManager()) {
                    checkpoint = TrainingCheckpoint.readFrom(durableCheckpoint(run), scope);
                }
                // The model in the checkpoint has seen exactly the steps its accountant history holds.
                assertThat(stepsIn(checkpoint.history())).isEqualTo(checkpoint.steps());
                checkpointedEpsilon = Math.max(checkpointedEpsilon, epsilon(checkpoint.history()));
                // Nothing published in the log (epoch figures, checkpoints) is ahead of the durable state.
                for (JsonNode event : events(run)) {
                    if (event.path("type").asText().matches("epoch|checkpoint")) {
                        assertThat(event.get("steps").asLong()).isLessThanOrEqualTo(checkpoint.steps());
                    }
                }
                checkpointsBefore = checkpointsIn(run);
                process = CliProcess.start(output, "train", "--resume", run.toString(), "--ledger", ledger.toString());
            }
            // A torn last line, as a kill mid-write leaves it: the next resume records and cuts it.
            killMidRun(run, checkpointsBefore, process, random);
            Files.write(run.resolve("audit.jsonl"), "{\"seq\":".getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.APPEND);
            assertThat(CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString()).exitCode())
                    .isEqualTo(3);
            process = CliProcess.start(output, "train", "--resume", run.toString(), "--ledger", ledger.toString());
            assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(output)).isZero();

            CliRunner.Result verified = CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString());
            assertThat(verified.exitCode()).as(verified.out()).isZero();
            assertThat(verified.out()).contains("ledger: the log's final hash matches");

            List<JsonNode> events = events(run);
            JsonNode end = events.get(events.size() - 1);
            assertThat(end.get("type").asText()).isEqualTo("run_end");
            assertThat(end.get("steps").asLong()).isEqualTo(PLANNED_STEPS);
            long endSteps = 0;
            for (JsonNode event : end.get("privacy_events")) {
                endSteps += event.get("count").asLong();
            }
            assertThat(endSteps).isEqualTo(PLANNED_STEPS);
            assertThat(events).filteredOn(e -> e.get("type").asText().equals("resume")).hasSize(4);
            assertThat(events).filteredOn(e -> e.get("type").asText().equals("torn_tail_repaired")).hasSize(1);
            // Validation figures are never published twice for the same steps (no discarded model was logged).
            List<Long> epochSteps = events.stream().filter(e -> e.get("type").asText().equals("epoch"))
                    .map(e -> e.get("steps").asLong()).toList();
            assertThat(epochSteps).isSorted().doesNotHaveDuplicates();

            JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
            double finalEpsilon = report.get("epsilon").asDouble();
            assertThat(report.get("steps").asLong()).isEqualTo(PLANNED_STEPS);
            assertThat(finalEpsilon).isGreaterThanOrEqualTo(checkpointedEpsilon);
            assertThat(finalEpsilon).isEqualTo(epsilon(List.of(new PrivacyEvent.PoissonGaussian(0.05, 1.2, PLANNED_STEPS))));
            // One reservation when the run started, continued by every resume, and one completion.
            assertThat(Files.readAllLines(ledger)).hasSize(2);
        }
    }
}
