package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dplstm.audit.run.RunFiles;
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
        while (process.isAlive() && System.nanoTime() < deadline && !Files.exists(run.resolve(RunFiles.CHECKPOINT))) {
            Thread.sleep(50);
        }
        assertThat(process.isAlive()).as("still training when stopped").isTrue();
        process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM runs its shutdown hooks
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, as the README's exit codes say
        assertThat(Files.readString(output, StandardCharsets.UTF_8)).contains("dplstm: stopped; continue with: ./dplstm"
                + " train --resume " + run + " (until it ends, the ledger keeps its planned epsilon reserved; ./dplstm"
                + " ledger abandon " + run + " releases a run that will not be resumed)");

        // a run that ends by itself, in a process of its own (a hook left registered would print at its exit)
        Path whole = dir.resolve("whole.txt");
        Process finished = CliProcess.start(whole, "train", "--train", train.toString(), "--noise-multiplier", "1.2",
                "--epochs", "1", "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--threads", "1",
                "--out", dir.resolve("whole").toString(), "--ledger", ledger.toString());
        assertThat(finished.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(finished.exitValue()).as(Files.readString(whole)).isZero();
        assertThat(Files.readString(whole, StandardCharsets.UTF_8)).doesNotContain("stopped");
    }

    @Test
    void theNoticeSaysWhetherTheRunCanBeResumedAndMentionsTheLedgerOnlyForAPrivateRun() throws Exception {
        Path fresh = dir.resolve("fresh");
        assertThat(InterruptNotice.message(fresh, true, true))
                .isEqualTo("dplstm: stopped before the run started: nothing to resume in " + fresh);
        Files.writeString(dir.resolve(RunFiles.AUDIT_LOG), "{}\n");
        // a log but no checkpoint yet: nothing to resume from
        assertThat(InterruptNotice.message(dir, true, true)).isEqualTo("dplstm: stopped; " + dir + " cannot be resumed"
                + " (it had no checkpoint yet); ./dplstm ledger abandon " + dir + " releases its reserved epsilon");
        Files.writeString(dir.resolve(RunFiles.CHECKPOINT), "x");
        // a tuned run keeps no checkpoint of its own: never resumable
        assertThat(InterruptNotice.message(dir, true, false)).isEqualTo("dplstm: stopped; " + dir + " cannot be"
                + " resumed (a tuned run keeps no checkpoint); ./dplstm ledger abandon " + dir
                + " releases its reserved epsilon");
        assertThat(InterruptNotice.message(dir, false, true)).isEqualTo("dplstm: stopped; continue with: ./dplstm train"
                + " --resume " + dir);
    }
}
