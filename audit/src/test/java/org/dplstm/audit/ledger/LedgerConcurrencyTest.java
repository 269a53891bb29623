package org.dplstm.audit.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dplstm.audit.log.Subprocess;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget check and the reservation are one decision: processes reserving at the same moment
 * on a budget that admits only one of them never both get in, round after round.
 */
class LedgerConcurrencyTest {

    static final String DATASET = "9a".repeat(32);
    private static final int ROUNDS = 4;
    private static final int PROCESSES = 3;

    @TempDir Path dir;

    @Test
    void ofProcessesReservingTogetherUnderABudgetForOneExactlyOneGetsIn() throws Exception {
        PrivacyAccountant one = Accountants.newAccountant(AccountantKind.RDP);
        one.compose(new PrivacyEvent.Gaussian(2.0, 1));
        PrivacyAccountant two = Accountants.newAccountant(AccountantKind.RDP);
        two.compose(new PrivacyEvent.Gaussian(2.0, 2));
        double budget = (one.epsilon(1e-5) + two.epsilon(1e-5)) / 2; // admits one run, never two
        for (int round = 0; round < ROUNDS; round++) {
            Path ledger = dir.resolve("ledger-" + round + ".jsonl");
            List<Process> processes = new ArrayList<>();
            for (int p = 0; p < PROCESSES; p++) {
                Process process = Subprocess.start(ReserveMain.class, ledger.toString(), "run-" + p,
                        Double.toString(budget));
                assertThat(Subprocess.awaitLine(process, "ready")).isTrue();
                processes.add(process);
            }
            for (Process process : processes) { // release them together
                OutputStream in = process.getOutputStream();
                in.write('\n');
                in.flush();
            }
            List<Integer> codes = new ArrayList<>();
            for (Process process : processes) {
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                codes.add(process.exitValue());
            }
            assertThat(codes).as("round %d", round).containsOnly(0, 2).filteredOn(c -> c == 0).hasSize(1);
            Ledger read = Ledger.open(ledger);
            assertThat(read.runs()).hasSize(1);
            assertThat(read.totalEpsilon(DATASET, 1e-5, AccountantKind.RDP)).isLessThanOrEqualTo(budget);
        }
    }

    /**
     * A ledger named through a symbolic link (one user's ~/.dplstm/ledger.jsonl linked to a shared
     * ledger another names directly) is locked as the file it is: a reservation through the link
     * waits while the ledger's own lock is held, instead of appending beside the other writer.
     */
    @Test
    void aLedgerNamedThroughALinkIsLockedAsTheFileItIs() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared")).resolve("ledger.jsonl");
        Path link = Files.createDirectories(dir.resolve("home")).resolve("my-ledger.jsonl");
        Files.createSymbolicLink(link, shared);
        try (FileChannel channel = FileChannel.open(shared.resolveSibling("ledger.jsonl.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Process process;
            try (FileLock held = channel.lock()) {
                process = Subprocess.start(ReserveMain.class, link.toString(), "run-0", "100");
                assertThat(Subprocess.awaitLine(process, "ready")).isTrue();
                OutputStream in = process.getOutputStream();
                in.write('\n');
                in.flush();
                assertThat(process.waitFor(3, TimeUnit.SECONDS)).as("waits for the ledger's lock").isFalse();
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
        assertThat(Ledger.open(shared).runs()).hasSize(1);
    }
}
