package org.dplstm.audit.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.run.RunLock;
import org.dplstm.privacy.PrivacyEvent;

/**
 * A run's tamper-evident audit trail, {@code RUN_DIR/audit.jsonl} (ARCHITECTURE §6): one chained JSON
 * event a line (format in {@link ChainedLines}), each appended and fsync'd before the method
 * returns. The run directory's {@link RunLock} is held while the log is open, so a second writer
 * fails and the verifier can tell a crash from a run still writing.
 *
 * <p>Events carry configuration, hashes, privacy figures and validation metrics only: never raw
 * text, and never training-set loss or accuracy (not differentially private).
 */
public final class AuditLog implements Closeable {

    private final Path file;
    private final RunLock ownedLock;
    private final ChainWriter writer;
    private final boolean resumed;
    private final Optional<TornTail> repairedTail;

    private AuditLog(Path file, RunLock ownedLock, ChainWriter writer, boolean resumed,
            Optional<TornTail> repairedTail) {
        this.file = file;
        this.ownedLock = ownedLock;
        this.writer = writer;
        this.resumed = resumed;
        this.repairedTail = repairedTail;
    }

    /**
     * Opens the log of {@code runDir} for appending, taking the directory's {@link RunLock} (held
     * until {@link #close}): a new log if there is none, otherwise the existing one after verifying
     * it with {@code key} (a torn last line is cut off and recorded as a
     * {@value EventTypes#TORN_TAIL_REPAIRED} event).
     *
     * @throws LogLockedException if another writer holds the lock
     * @throws LogNotIntactException if the existing log does not verify (it is never extended)
     */
    public static AuditLog open(Path runDir, AuditKey key) throws IOException {
        Files.createDirectories(runDir);
        RunLock lock;
        try {
            lock = RunLock.acquire(runDir);
        } catch (IllegalArgumentException e) {
            throw new LogLockedException(e.getMessage());
        }
        return open(lock, key, Clock.systemUTC(), true);
    }

    /**
     * Opens the log of the run directory {@code lock} holds (a new run's claim, or a resumed run's
     * lock), as {@link #open(Path, AuditKey)} does; closing the log leaves the lock to its owner.
     */
    public static AuditLog open(RunLock lock, AuditKey key) throws IOException {
        return open(lock, key, Clock.systemUTC(), false);
    }

    private static AuditLog open(RunLock lock, AuditKey key, Clock clock, boolean ownsLock) throws IOException {
        Path file = lock.files().log();
        try {
            LineHasher hasher = key.newHasher();
            boolean resumed = Files.exists(file) && Files.size(file) > 0;
            ChainScan scan = resumed ? ChainScanner.scan(file, hasher) : ChainScanner.scan(new byte[0], hasher);
            if (scan.problem().isPresent()) {
                throw new LogNotIntactException(file.toString(), scan.problem().get());
            }
            ChainWriter writer = ChainWriter.continueChain(file, scan, hasher, clock);
            return new AuditLog(file, ownsLock ? lock : null, writer, resumed, scan.tornTail());
        } catch (IOException | RuntimeException e) {
            if (ownsLock) {
                lock.close();
            }
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** True when the log existed and this writer continues it. */
    public boolean resumed() {
        return resumed;
    }

    /** The torn last line cut off (and recorded) when the log was opened, if there was one. */
    public Optional<TornTail> repairedTail() {
        return repairedTail;
    }

    /** Hash of the last line: the value the ledger records at run end. */
    public String lastHash() {
        return writer.lastHash();
    }

    public long eventCount() {
        return writer.lineCount();
    }

    /** Appends any event; typed helpers below cover training's events. */
    public String append(String type, ObjectNode fields) throws IOException {
        if (type == null || !type.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("event type must match [a-z][a-z0-9_]*, was " + type);
        }
        return writer.append(type, fields);
    }

    public String runStart(RunStart start) throws IOException {
        return append(EventTypes.RUN_START, start.toFields());
    }

    /**
     * Vocabulary selection: how it was built ("public", "hashed", "dp"), its size, and its privacy
     * cost as accountant events (empty for public or hashed vocabularies).
     */
    public String vocabulary(String method, int size, List<? extends PrivacyEvent> cost) throws IOException {
        ObjectNode fields = fields();
        fields.put("method", method);
        fields.put("size", size);
        fields.set("privacy_events", PrivacyEventJson.toJson(cost));
        return append(EventTypes.VOCABULARY, fields);
    }

    /**
     * End of an epoch: steps so far, ε so far per accountant id (e.g. {"pld": 1.2, "rdp": 1.4})
     * at the run's δ, and validation metrics (NaN when there is no validation set). Training-set
     * metrics are not taken: they are not differentially private.
     */
    public String epoch(int epoch, long steps, Map<String, Double> epsilonByAccountant,
            double validationLoss, double validationAccuracy) throws IOException {
        return epoch(epoch, steps, epsilonByAccountant, validationLoss, validationAccuracy, Map.of());
    }

    /**
     * As above, with a task's further validation figures, each written as {@code validation_<name>}
     * (e.g. an encoder-decoder's validation_bleu and validation_chrf), names sorted.
     */
    public String epoch(int epoch, long steps, Map<String, Double> epsilonByAccountant,
            double validationLoss, double validationAccuracy, Map<String, Double> validationMetrics) throws IOException {
        ObjectNode fields = fields();
        fields.put("epoch", epoch);
        fields.put("steps", steps);
        fields.set("epsilon", epsilonMap(epsilonByAccountant));
        putNumberOrNull(fields, "validation_loss", validationLoss);
        putNumberOrNull(fields, "validation_accuracy", validationAccuracy);
        new java.util.TreeMap<>(validationMetrics).forEach((name, value) ->
                putNumberOrNull(fields, "validation_" + name, value));
        return append(EventTypes.EPOCH, fields);
    }

    /**
     * A checkpoint: its file name, step count, the privacy events spent up to it (what the run has
     * released so far: {@code ledger abandon} records it), and the SHA-256 of it and of each file a
     * resume reads with it.
     */
    public String checkpoint(String name, long steps, List<? extends PrivacyEvent> spent, Map<String, String> sha256ByFile)
            throws IOException {
        ObjectNode fields = fields();
        fields.put("name", name);
        fields.put("steps", steps);
        fields.set("privacy_events", PrivacyEventJson.toJson(spent));
        fields.set("files", fileHashes(sha256ByFile));
        return append(EventTypes.CHECKPOINT, fields);
    }

    /** A run (or a step) refused because it would exceed a budget. */
    public String budgetRefused(String reason, double plannedEpsilon, double budgetEpsilon) throws IOException {
        ObjectNode fields = fields();
        fields.put("reason", reason);
        fields.put("planned_epsilon", plannedEpsilon);
        fields.put("budget_epsilon", budgetEpsilon);
        return append(EventTypes.BUDGET_REFUSED, fields);
    }

    /**
     * Training resumed from a checkpoint: the steps it had, and the accountant history restored
     * with it (so privacy spent before the crash is never under-counted).
     */
    public String resume(String checkpoint, long steps, List<? extends PrivacyEvent> restoredEvents) throws IOException {
        ObjectNode fields = fields();
        fields.put("checkpoint", checkpoint);
        fields.put("steps", steps);
        fields.set("privacy_events", PrivacyEventJson.toJson(restoredEvents));
        return append(EventTypes.RESUME, fields);
    }

    /**
     * Run end, the run's commit point: written once everything it names is on disk (see {@link
     * RunEnd}). {@code model_sha256} repeats the model's hash for readers of older logs.
     */
    public String runEnd(RunEnd end) throws IOException {
        ObjectNode fields = fields();
        fields.put("run_id", end.runId());
        fields.put("steps", end.steps());
        fields.set("epsilon", epsilonMap(end.epsilon()));
        fields.set("epsilon_breakdown", epsilonMap(end.epsilonBreakdown()));
        fields.put("delta", end.delta());
        fields.set("privacy_events", PrivacyEventJson.toJson(end.privacyEvents()));
        putNumberOrNull(fields, "train_seconds", end.trainSeconds());
        fields.put("model_sha256", end.files().get(RunFiles.MODEL));
        fields.set("files", fileHashes(end.files()));
        return append(EventTypes.RUN_END, fields);
    }

    @Override
    public void close() throws IOException {
        try {
            writer.close();
        } finally {
            if (ownedLock != null) {
                ownedLock.close();
            }
        }
    }

    private static ObjectNode fields() {
        return ChainedLines.JSON.createObjectNode();
    }

    private static ObjectNode fileHashes(Map<String, String> sha256ByFile) {
        ObjectNode files = fields();
        sha256ByFile.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> files.put(e.getKey(), e.getValue()));
        return files;
    }

    private static ObjectNode epsilonMap(Map<String, Double> epsilonByAccountant) {
        ObjectNode node = fields();
        epsilonByAccountant.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> putNumberOrNull(node, e.getKey(), e.getValue()));
        return node;
    }

    private static void putNumberOrNull(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }
}
