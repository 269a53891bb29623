package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learning rate of 1e30 drives the weights to NaN within a few steps: the run stops with exit 7
 * and one line, the steps taken stay in the audit log and the ledger, and the model is not served.
 */
class NonFiniteTrainingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void nonFiniteWeightsStopTheRunAndThePrivacySpentStaysRecorded() throws IOException {
        Path run = dir.resolve("run");
        Path ledger = dir.resolve("ledger.jsonl");
        CliRunner.Result trained = trainDiverging(run, ledger);
        assertThat(trained.exitCode()).as(trained.err()).isEqualTo(7);
        List<String> lines = trained.err().lines().filter(l -> l.startsWith("dplstm:")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("non-finite").contains("learning rate 1.0E30").contains("of 24");
        assertThat(trained.err()).doesNotContain("\tat ");

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("audit.jsonl"))) {
            events.add(JSON.readTree(line));
        }
        JsonNode stop = events.get(events.size() - 2);
        JsonNode end = events.get(events.size() - 1);
        assertThat(stop.path("type").asText()).isEqualTo("non_finite");
        assertThat(end.path("type").asText()).isEqualTo("run_end");
        long steps = end.path("steps").asLong();
        assertThat(steps).isBetween(1L, 23L).isEqualTo(stop.path("steps").asLong());
        // Every step taken is in the accountant history that run_end and the ledger carry.
        assertThat(stepsIn(end.path("privacy_events"))).isEqualTo(steps);
        assertThat(end.path("epsilon").path("pld").asDouble()).isPositive();
        String runId = events.get(0).path("run_id").asText();
        CliRunner.Result listed = CliRunner.run("ledger", "--ledger", ledger.toString());
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains(runId);

        CliRunner.Result predicted = CliRunner.run("predict", "--model", run.toString(), "--text", "refund please");
        assertThat(predicted.exitCode()).as(predicted.out()).isEqualTo(7);
        assertThat(predicted.err()).contains("non-finite weights").doesNotContain("\tat ");
        assertThat(predicted.out()).doesNotContain("NaN");
    }

    /**
     * A run killed after its non_finite event and before run_end released that its weights became
     * non-finite at that step: abandoning it counts the steps the event names, not only those of
     * its last checkpoint (which, mid-epoch, are fewer).
     */
    @Test
    void aRunKilledAfterItsNonFiniteEventIsAbandonedWithTheStepsItTook() throws IOException {
        Path run = dir.resolve("run");
        Path ledger = dir.resolve("ledger.jsonl");
        CliRunner.Result trained = trainDiverging(run, ledger);
        assertThat(trained.exitCode()).as(trained.err()).isEqualTo(7);
        // What a kill between the non_finite event and run_end leaves: the log without run_end,
        // the ledger with the reservation alone.
        Path log = run.resolve("audit.jsonl");
        List<String> lines = Files.readAllLines(log);
        Files.write(log, lines.subList(0, lines.size() - 1));
        Files.write(ledger, Files.readAllLines(ledger).subList(0, 1));
        JsonNode stop = JSON.readTree(lines.get(lines.size() - 2));
        assertThat(stop.path("type").asText()).isEqualTo("non_finite");
        long steps = stop.path("steps").asLong();

        CliRunner.Result abandoned = CliRunner.run("ledger", "abandon", run.toString(), "--ledger", ledger.toString());
        assertThat(abandoned.exitCode()).as(abandoned.err()).isZero();
        JsonNode abandon = JSON.readTree(Files.readAllLines(ledger).get(1));
        assertThat(abandon.path("type").asText()).isEqualTo("abandon");
        assertThat(stepsIn(abandon.path("privacy_events"))).isEqualTo(steps);
    }

    /** A private run whose learning rate of 1e30 makes its weights non-finite within its 24 steps. */
    private CliRunner.Result trainDiverging(Path run, Path ledger) throws IOException {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        return CliRunner.run("train", "--train", data.toString(), "--noise-multiplier", "1",
                "--epochs", "4", "--batch-size", "10", "--embedding", "4", "--hidden", "4", "--lr", "1e30",
                "--threads", "1", "--ledger", ledger.toString(), "--out", run.toString());
    }

    /** The steps a list of privacy events counts. */
    private static long stepsIn(JsonNode privacyEvents) {
        long steps = 0;
        for (JsonNode event : privacyEvents) {
            steps += event.path("count").asLong();
        }
        return steps;
    }
}
