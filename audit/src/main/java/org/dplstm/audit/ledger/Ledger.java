package org.dplstm.audit.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.dplstm.audit.log.ChainScan;
import org.dplstm.audit.log.ChainScanner;
import org.dplstm.audit.log.ChainWriter;
import org.dplstm.audit.log.LineHasher;
import org.dplstm.audit.log.TornTail;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;

/**
 * The privacy ledger: hash-chained lines (the audit log's format, unkeyed SHA-256) that record,
 * per dataset, every private run from the moment it starts (ARCHITECTURE §6). A run reserves its
 * planned ε when it starts ({@link #reserve}: the budget check and the append are one decision,
 * under a lock beside the file), completes the reservation when it ends ({@link #complete}), or
 * is released with what it spent so far ({@link #abandon}). Totals compose every run's events in
 * one accountant (ARCHITECTURE §4), never by summing the runs' ε.
 *
 * <p>A ledger that cannot be read completely (a line that does not verify, a torn first or last
 * line) is refused by {@link #open} with {@link LedgerDamagedException}; nothing is appended to it
 * and nothing rewrites it.
 *
 * <p>Location: {@code --ledger FILE}, else {@value #ENVIRONMENT_VARIABLE}, else
 * {@code ~/.dplstm/ledger.jsonl}. Opening never writes.
 */
public final class Ledger implements LedgerLookup {

    public static final String ENVIRONMENT_VARIABLE = "DPLSTM_LEDGER";

    /** Threads of this process take turns (a file lock is held per process, not per thread). */
    private static final Object APPEND_MONITOR = new Object();

    /** Symbolic links followed from the ledger's name to the file (a cycle stops there). */
    private static final int MAX_LINKS = 40;

    private final Path path;
    private final Clock clock;
    private List<LedgerEntry> entries;
    private Map<String, LedgerRun> runs;

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
     * @throws LedgerDamagedException if it cannot be read completely
     */
    public static Ledger open(Path path) throws IOException {
        Ledger ledger = new Ledger(path, Clock.systemUTC());
        ledger.reload();
        return ledger;
    }

    public Path path() {
        return path;
    }

    /** Every line, in order. */
    public List<LedgerEntry> entries() {
        return entries;
    }

    /** Every run, in the order they first appear. */
    public List<LedgerRun> runs() {
        return List.copyOf(runs.values());
    }

    public List<LedgerRun> runsOn(String datasetFingerprint) {
        return runs.values().stream().filter(r -> r.datasetFingerprint().equals(datasetFingerprint)).toList();
    }

    public Optional<LedgerRun> run(String runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    @Override
    public Optional<LedgerRun> recorded(String runId) {
        return run(runId);
    }

    /**
     * The δ at which the dataset's runs are composed: the smallest δ any run recorded on it used,
     * or {@code plannedDelta} (a run about to start) when smaller or when there is none. A later
     * run's looser δ never loosens the history: ε(δ) only falls as δ grows, so composing at the
     * largest (or the newest) run's δ would let one run at δ = 0.5 make every earlier run look
     * cheap, pass a budget they exceed, and lower the dataset's total.
     */
    public double datasetDelta(String datasetFingerprint, double plannedDelta) {
        Checks.openUnitInterval("delta", plannedDelta);
        return Math.min(plannedDelta, smallestDelta(datasetFingerprint).orElse(plannedDelta));
    }

    /**
     * The smallest δ any run recorded on the dataset used (see {@link #datasetDelta(String, double)}).
     *
     * @throws IllegalArgumentException if no run is recorded on it
     */
    public double datasetDelta(String datasetFingerprint) {
        return smallestDelta(datasetFingerprint)
                .orElseThrow(() -> new IllegalArgumentException("no run is recorded on dataset " + datasetFingerprint));
    }

    private OptionalDouble smallestDelta(String datasetFingerprint) {
        return runsOn(datasetFingerprint).stream().mapToDouble(LedgerRun::delta).min();
    }

    /** ε at {@code delta} of every run recorded on the dataset (reserved ones as planned), composed in one accountant. */
    public double totalEpsilon(String datasetFingerprint, double delta, AccountantKind kind) {
        return plannedTotalEpsilon(datasetFingerprint, List.of(), delta, kind);
    }

    /**
     * ε at {@code delta} of every run recorded on the dataset plus {@code plannedEvents} (a run
     * about to start), composed in one accountant: {@code kind}'s, or RDP's when {@code kind}
     * cannot bound one of the events (a tuned run's: ARCHITECTURE §4.1; RDP bounds everything).
     */
    public double plannedTotalEpsilon(String datasetFingerprint, List<? extends PrivacyEvent> plannedEvents,
            double delta, AccountantKind kind) {
        Checks.openUnitInterval("delta", delta);
        List<PrivacyEvent> events = new ArrayList<>();
        for (LedgerRun run : runsOn(datasetFingerprint)) {
            events.addAll(run.privacyEvents());
        }
        events.addAll(plannedEvents);
        PrivacyAccountant accountant = Accountants.newAccountant(kind);
        if (!events.stream().allMatch(accountant::supports)) {
            accountant = Accountants.newAccountant(AccountantKind.RDP);
        }
        accountant.composeAll(events);
        if (accountant.history().isEmpty()) {
            return 0.0;
        }
        return accountant.epsilon(delta);
    }

    /**
     * Refuses (IllegalArgumentException naming the figures) a run planning {@code plannedEvents} at
     * {@code plannedDelta} on the dataset when, composed with every run this ledger records on it, they
     * exceed {@code budget}, at the dataset's δ: the smallest of {@code plannedDelta} and every recorded
     * run's ({@link #datasetDelta(String, double)}), never a looser one. Reads only.
     */
    public void checkBudget(String datasetFingerprint, List<? extends PrivacyEvent> plannedEvents, double plannedDelta,
            AccountantKind kind, double budget) {
        double delta = datasetDelta(datasetFingerprint, plannedDelta);
        double total = plannedTotalEpsilon(datasetFingerprint, plannedEvents, delta, kind);
        if (total > budget) {
            List<LedgerRun> earlier = runsOn(datasetFingerprint);
            long reserved = earlier.stream().filter(r -> r.status() == Status.RESERVED).count();
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "dataset budget %.4g would be exceeded: the %d earlier run(s) on dataset %s in %s%s spent "
                            + "epsilon %.4g, and with this run's plan the total would be %.4g (%s accountant, "
                            + "delta %.1e, the smallest any run on the dataset used)", budget, earlier.size(),
                    datasetFingerprint.substring(0, 12), path,
                    reserved == 0 ? "" : " (" + reserved + " still running or killed, counted as planned)",
                    totalEpsilon(datasetFingerprint, delta, kind), total, kind.id(), delta));
        }
    }

    /**
     * Records a starting run's plan, so that it counts against its dataset from now on: under the
     * ledger's lock, the ledger is read again, the budget checked against every run recorded on
     * the dataset (NaN: no budget) and the reservation appended, as one decision. Two runs that a
     * budget admits only one of cannot both pass.
     *
     * @throws IllegalArgumentException if the budget would be exceeded, or the run is already recorded
     * @throws LedgerDamagedException if the ledger cannot be read completely
     */
    public void reserve(LedgerEntry reservation, double budget) throws IOException {
        requireKind(reservation, LedgerEntry.Kind.RESERVATION);
        underLock(() -> {
            if (runs.containsKey(reservation.runId())) {
                throw new IllegalArgumentException("run " + reservation.runId() + " is already recorded in " + path);
            }
            if (!Double.isNaN(budget)) {
                checkBudget(reservation.datasetFingerprint(), reservation.privacyEvents(), reservation.delta(),
                        AccountantKind.parse(reservation.accountant()), budget);
            }
            return reservation;
        });
    }

    /** Records a run's end: what it spent replaces its reservation in the totals. */
    public void complete(LedgerEntry completion) throws IOException {
        requireKind(completion, LedgerEntry.Kind.COMPLETION);
        underLock(() -> completion);
    }

    /**
     * Releases a reserved run that will not be resumed: what it spent until it stopped replaces
     * its plan in the totals.
     *
     * @throws IllegalArgumentException unless the run is recorded and only reserved
     */
    public void abandon(LedgerEntry abandonment) throws IOException {
        requireKind(abandonment, LedgerEntry.Kind.ABANDONMENT);
        underLock(() -> {
            LedgerRun run = runs.get(abandonment.runId());
            if (run == null) {
                throw new IllegalArgumentException("run " + abandonment.runId() + " is not recorded in " + path
                        + ": there is nothing to release");
            }
            if (run.status() != Status.RESERVED) {
                throw new IllegalArgumentException("run " + abandonment.runId() + " is " + (run.status() == Status.COMPLETE
                        ? "complete" : "already abandoned") + " in " + path + ": only a reserved run can be abandoned");
            }
            return abandonment;
        });
    }

    private static void requireKind(LedgerEntry entry, LedgerEntry.Kind kind) {
        if (entry.kind() != kind) {
            throw new IllegalArgumentException("ledger line must be a " + kind.type() + ", was a " + entry.kind().type());
        }
    }

    /** Decides, with the ledger read again under its lock, which line to append. */
    private interface Decision {
        LedgerEntry decide() throws IOException;
    }

    private void underLock(Decision decision) throws IOException {
        Path lockFile = lockFile();
        synchronized (APPEND_MONITOR) {
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = lockChannel.lock()) {
                ChainScan scan = reload();
                LedgerEntry entry = decision.decide();
                try (ChainWriter writer = ChainWriter.continueChain(path, scan, LineHasher.sha256(), clock)) {
                    writer.append(entry.kind().type(), entry.toFields());
                }
            }
        }
        reload();
    }

    /**
     * The lock beside the ledger as the file it is, {@code NAME.lock} in its real folder: every
     * writer must take the same lock, also one that names the ledger through a symbolic link (or
     * a linked folder), or two would append at once and fork the chain.
     */
    private Path lockFile() throws IOException {
        Path file = path.toAbsolutePath().normalize();
        for (int links = 0; links < MAX_LINKS && Files.isSymbolicLink(file); links++) {
            file = file.resolveSibling(Files.readSymbolicLink(file)).normalize();
        }
        Path folder = Files.createDirectories(file.getParent()).toRealPath();
        return folder.resolve(file.getFileName() + ".lock");
    }

    /** Reads the file again; returns its scan (empty for a missing file). */
    private ChainScan reload() throws IOException {
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new IllegalArgumentException("ledger must be a file, was " + path);
        }
        ChainScan scan = Files.exists(path) ? ChainScanner.scan(path, LineHasher.sha256())
                : ChainScanner.scan(new byte[0], LineHasher.sha256());
        if (scan.problem().isPresent()) {
            throw new LedgerDamagedException("ledger " + path + " is damaged: " + scan.problem().get()
                    + "; it is never rewritten: look at it, then move it aside or repair it by hand");
        }
        if (scan.tornTail().isPresent()) {
            TornTail torn = scan.tornTail().get();
            throw new LedgerDamagedException("ledger " + path + " is damaged: line " + torn.lineNumber() + " is torn ("
                    + torn.length() + " bytes without a newline, sha256 " + torn.sha256().substring(0, 12)
                    + "…), so what it records cannot be read completely; it is never rewritten: look at it, then "
                    + "move it aside or repair it by hand");
        }
        List<LedgerEntry> read = new ArrayList<>();
        for (int line = 0; line < scan.events().size(); line++) {
            try {
                read.add(LedgerEntry.fromJson(scan.events().get(line)));
            } catch (IllegalArgumentException e) {
                throw new LedgerDamagedException("ledger " + path + " is damaged: line " + (line + 1)
                        + " is not a ledger line (" + e.getMessage() + ")");
            }
        }
        Map<String, LedgerRun> byRun = new LinkedHashMap<>();
        for (LedgerEntry entry : read) {
            byRun.merge(entry.runId(), LedgerRun.of(entry), (earlier, later) -> earlier.with(entry));
        }
        entries = List.copyOf(read);
        runs = byRun;
        return scan;
    }
}
