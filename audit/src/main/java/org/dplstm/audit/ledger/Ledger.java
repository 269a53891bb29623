package org.dplstm.audit.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dplstm.audit.log.ChainScan;
import org.dplstm.audit.log.ChainScanner;
import org.dplstm.audit.log.ChainWriter;
import org.dplstm.audit.log.LineHasher;
import org.dplstm.audit.log.LogNotIntactException;
import org.dplstm.audit.log.TornTail;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;

/**
 * The privacy ledger: one hash-chained line per finished run (same format as the audit log,
 * unkeyed SHA-256), across runs and datasets. Privacy spent on a dataset adds up over every run
 * trained on it, so totals compose ALL the runs' accountant histories in one accountant (ARCHITECTURE
 * §4), never by summing the runs' ε.
 *
 * <p>Location: {@code --ledger FILE}, else {@value #ENVIRONMENT_VARIABLE}, else
 * {@code ~/.dplstm/ledger.jsonl}. Opening never writes; {@link #append} takes a lock beside the
 * file, so runs finishing at the same time both land.
 */
public final class Ledger implements LedgerLookup {

    public static final String ENVIRONMENT_VARIABLE = "DPLSTM_LEDGER";
    public static final String ENTRY_TYPE = "run";

    private static final Object APPEND_MONITOR = new Object();

    private final Path path;
    private final Clock clock;
    private List<LedgerEntry> entries;
    private Optional<TornTail> tornTail;

    private Ledger(Path path, Clock clock) {
        this.path = path;
        this.clock = clock;
    }

    /** {@code option} when given, else {@value #ENVIRONMENT_VARIABLE}, else ~/.dplstm/ledger.jsonl. */
    public static Path resolve(Optional<Path> option, Map<String, String> environment) {
        if (option.isPresent()) {
            return option.get();
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return Path.of(System.getProperty("user.home"), ".dplstm", "ledger.jsonl");
    }

    public static Path resolve(Optional<Path> option) {
        return resolve(option, System.getenv());
    }

    /**
     * Reads and verifies the ledger at {@code path} (a missing file is an empty ledger; nothing is
     * created).
     *
     * @throws LogNotIntactException if the chain does not verify
     */
    public static Ledger open(Path path) throws IOException {
        Ledger ledger = new Ledger(path, Clock.systemUTC());
        ledger.reload();
        return ledger;
    }

    public Path path() {
        return path;
    }

    public List<LedgerEntry> entries() {
        return entries;
    }

    /** A torn last line (a crash while appending) that the next append will record and repair. */
    public Optional<TornTail> tornTail() {
        return tornTail;
    }

    public List<LedgerEntry> entriesFor(String datasetFingerprint) {
        return entries.stream().filter(e -> e.datasetFingerprint().equals(datasetFingerprint)).toList();
    }

    public Optional<LedgerEntry> findRun(String runId) {
        return entries.stream().filter(e -> e.runId().equals(runId)).reduce((first, second) -> second);
    }

    @Override
    public Optional<String> finalLogHash(String runId) {
        return findRun(runId).map(LedgerEntry::logHash);
    }

    /** ε at {@code delta} of every run recorded on the dataset, composed in one accountant. */
    public double totalEpsilon(String datasetFingerprint, double delta, AccountantKind kind) {
        return plannedTotalEpsilon(datasetFingerprint, List.of(), delta, kind);
    }

    /**
     * ε at {@code delta} of every run recorded on the dataset plus {@code plannedEvents} (a run
     * about to start), composed in one accountant: what {@code train --dataset-budget} compares
     * with the budget before writing anything.
     */
    public double plannedTotalEpsilon(String datasetFingerprint, List<? extends PrivacyEvent> plannedEvents,
            double delta, AccountantKind kind) {
        Checks.openUnitInterval("delta", delta);
        PrivacyAccountant accountant = kind.newAccountant();
        for (LedgerEntry entry : entriesFor(datasetFingerprint)) {
            accountant.composeAll(entry.privacyEvents());
        }
        accountant.composeAll(plannedEvents);
        if (accountant.history().isEmpty()) {
            return 0.0;
        }
        return accountant.epsilon(delta);
    }

    /**
     * Appends a finished run, fsync'd, under a lock (re-reading what other runs appended since
     * this ledger was opened, and recording and cutting a torn last line).
     *
     * @throws LogNotIntactException if the ledger no longer verifies (it is never extended then)
     */
    public void append(LedgerEntry entry) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path lockFile = parent.resolve(path.getFileName() + ".lock");
        synchronized (APPEND_MONITOR) {
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                LineHasher hasher = LineHasher.sha256();
                ChainScan scan = Files.exists(path) ? ChainScanner.scan(path, hasher) : ChainScanner.scan(new byte[0], hasher);
                if (scan.problem().isPresent()) {
                    throw new LogNotIntactException("ledger " + path, scan.problem().get());
                }
                try (ChainWriter writer = ChainWriter.continueChain(path, scan, hasher, clock)) {
                    ObjectNode fields = entry.toFields();
                    writer.append(ENTRY_TYPE, fields);
                }
            }
        }
        reload();
    }

    private void reload() throws IOException {
        if (!Files.exists(path)) {
            entries = List.of();
            tornTail = Optional.empty();
            return;
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("ledger must be a file, was " + path);
        }
        ChainScan scan = ChainScanner.scan(path, LineHasher.sha256());
        if (scan.problem().isPresent()) {
            throw new LogNotIntactException("ledger " + path, scan.problem().get());
        }
        List<LedgerEntry> read = new ArrayList<>();
        scan.events().stream()
                .filter(event -> event.path("type").asText().equals(ENTRY_TYPE))
                .forEach(event -> read.add(LedgerEntry.fromJson(event)));
        entries = List.copyOf(read);
        tornTail = scan.tornTail();
    }
}
