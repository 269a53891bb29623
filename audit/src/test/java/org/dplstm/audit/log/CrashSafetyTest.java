package org.dplstm.audit.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.audit.verify.LogVerifier;
import org.dplstm.audit.verify.VerificationResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real writer processes killed with SIGKILL at random points leave logs that verify as crashes. */
class CrashSafetyTest {

    @TempDir Path dir;

    @Test
    void killedWriterLeavesACrashNeverTamperingAndResumeCompletesTheChain() throws Exception {
        Random random = new Random(20240501);
        for (int trial = 0; trial < 4; trial++) {
            Path runDir = dir.resolve("run-" + trial);
            Process writer = Subprocess.start(WriterMain.class, runDir.toString(), "1000000");
            assertThat(Subprocess.awaitLine(writer, "ready")).isTrue();
            Thread.sleep(random.nextInt(150));
            writer.destroyForcibly(); // SIGKILL on Linux
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(writer.exitValue()).isEqualTo(137);

            VerificationResult crashed = LogVerifier.verify(RunFiles.of(runDir).log(), AuditKey.none(), LedgerLookup.none());
            assertThat(crashed.exitCode()).as(crashed.message()).isIn(0, 3);
            assertThat(crashed.events()).isGreaterThanOrEqualTo(2);

            // Resume: a torn line, if any, is recorded; the chain goes on and the run ends.
            try (AuditLog resumed = AuditLog.open(runDir, AuditKey.none())) {
                assertThat(resumed.resumed()).isTrue();
                resumed.runEnd(SampleRun.runEnd(runDir, "crash-run", 1, Map.of("rdp", 1.0), java.util.List.of()));
            }
            VerificationResult completed = LogVerifier.verify(RunFiles.of(runDir).log(), AuditKey.none(), LedgerLookup.none());
            assertThat(completed.exitCode()).as(completed.message()).isZero();
        }
    }

    @Test
    void secondWriterIsRefusedWhileTheFirstHoldsTheLockAndVerifierSeesARunInProgress() throws Exception {
        Path runDir = dir.resolve("locked");
        Process holder = Subprocess.start(WriterMain.class, runDir.toString(), "3", "hold");
        try {
            assertThat(Subprocess.awaitLine(holder, "ready")).isTrue();
            Thread.sleep(200); // the remaining events are appended right after "ready"
            Process second = Subprocess.start(WriterMain.class, runDir.toString(), "3");
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(second.getInputStream().readAllBytes());
            assertThat(second.exitValue()).as(output).isEqualTo(75);
            assertThat(output).contains("in use by another writer");

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditLog.open(runDir, AuditKey.none()))
                    .isInstanceOf(LogLockedException.class);
            VerificationResult running = LogVerifier.verify(RunFiles.of(runDir).log(), AuditKey.none(), LedgerLookup.none());
            assertThat(running.status()).as(running.message()).isEqualTo(VerificationResult.Status.IN_PROGRESS);
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        VerificationResult crashed = LogVerifier.verify(RunFiles.of(runDir).log(), AuditKey.none(), LedgerLookup.none());
        assertThat(crashed.status()).isEqualTo(VerificationResult.Status.INCOMPLETE);
    }

    @Test
    void sameProcessSecondWriterIsRefused() throws Exception {
        try (AuditLog first = AuditLog.open(dir, AuditKey.none())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditLog.open(dir, AuditKey.none()))
                    .isInstanceOf(LogLockedException.class)
                    .hasMessageContaining("in use by another writer");
        }
        AuditLog.open(dir, AuditKey.none()).close(); // released on close
        assertThat(Files.exists(RunFiles.of(dir).lock())).isTrue();
    }
}
