package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A training stopped by a signal says how to continue it; one that ends by itself says nothing of the kind. */
class InterruptNoticeTest {

    @TempDir Path dir;

    @Test
    void aStoppedPrivateRunSaysHowToResumeOrAbandonIt() throws Exception {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 400, "billing", "access");
        Path run = dir.resolve("run");
        Path ledger = dir.resolve("ledger.jsonl");
        Path output = dir.resolve("output.txt");
        // long enough (200 epochs) that it is still training when stopped
        Process process = CliProcess.start(output, "train", "--train", train.toString(), "--noise-multiplier", "1.2",
                "--epochs", "200", "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--threads", "1",
                "--out", run.toString(), "--ledger", ledger.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (process.isAlive() && System.nanoTime() < deadline && !Files.exists(run.resolve("checkpoint.bin"))) {
            Thread.sleep(50);
        }
        assertThat(process.isAlive()).as("still training when stopped").isTrue();
        process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(output, StandardCharsets.UTF_8)).contains("dplstm: stopped; continue with: ./dplstm"
                + " train --resume " + run + " (until it ends, the ledger keeps its planned epsilon reserved; ./dplstm"
                + " ledger abandon " + run + " releases a run that will not be resumed)");

        // resumed to its end, or run to its end in the first place: no such line
        CliRunner.Result finished = CliRunner.run("train", "--train", train.toString(), "--noise-multiplier", "1.2",
                "--epochs", "1", "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--threads", "1",
                "--out", dir.resolve("whole").toString(), "--ledger", ledger.toString());
        assertThat(finished.exitCode()).as(finished.err()).isZero();
        assertThat(finished.err()).doesNotContain("stopped");
    }

    @Test
    void theNoticeNamesNothingToResumeBeforeTheRunDirectoryHoldsALogAndNoLedgerForANonPrivateRun() throws Exception {
        assertThat(InterruptNotice.message(dir.resolve("fresh"), true))
                .isEqualTo("dplstm: stopped before the run started: nothing to resume in " + dir.resolve("fresh"));
        assertThat(InterruptNotice.message(dir, false)).isEqualTo("dplstm: stopped before the run started: nothing to"
                + " resume in " + dir);
        Files.writeString(dir.resolve("audit.jsonl"), "{}\n");
        assertThat(InterruptNotice.message(dir, false)).isEqualTo("dplstm: stopped; continue with: ./dplstm train --resume "
                + dir);
    }
}
