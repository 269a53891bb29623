package org.dplstm.training.provenance;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.ledger.LedgerDamagedException;
import org.dplstm.audit.ledger.LedgerEntry;
import org.dplstm.audit.ledger.LedgerRun;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.AuditLog;
import org.dplstm.audit.log.ChainScan;
import org.dplstm.audit.log.ChainScanner;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.audit.log.EventTypes;
import org.dplstm.audit.log.LogNotIntactException;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.audit.log.RunEnd;
import org.dplstm.audit.log.RunStart;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.run.RunLock;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.audit.verify.RunArtefacts;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.HistoryOutOfRangeException;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.training.dpsgd.EpochSummary;
import org.dplstm.training.dpsgd.PrivacyCost;
import org.dplstm.training.dpsgd.PrivacyHistory;
import org.dplstm.training.dpsgd.PrivacyMode;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.TrainingCheckpoint;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.dpsgd.TrainingResult;

/**
 * Writes a training run's audit log, {@code RUN_DIR/audit.jsonl} (ARCHITECTURE §6), and records the
 * finished run in the privacy ledger. Opened by {@link #start} (run_start, vocabulary) or
 * {@link #resume} (resume, after a torn tail is repaired), it listens to the DP-SGD loop (epoch,
 * checkpoint, budget_refused), and {@link #finish} writes run_end once the model is saved, then
 * appends the ledger entry with the log's final hash.
 *
 * <p>It records configuration, hashes, privacy figures and validation metrics: never raw text,
 * and never training-set loss or accuracy (not differentially private). An audit write that
 * fails stops training: a run is not worth more than its record.
 */
public final class AuditTrail implements TrainingListener, Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path runDir;
    private final AuditLog log;
    private final AuditSettings settings;
    private final String runId;
    private final PrivacyPlan plan;

    private AuditTrail(Path runDir, AuditLog log, AuditSettings settings, String runId, PrivacyPlan plan) {
        this.runDir = runDir;
        this.log = log;
        this.settings = settings;
        this.runId = runId;
        this.plan = plan;
    }

    /** The events the whole planned run composes: prior mechanisms, then every planned step. */
    public static List<PrivacyEvent> plannedEvents(PrivacyPlan plan) {
        return plan.spentAfter(plan.plannedSteps());
    }

    /**
     * A new run's audit record, decided before anything is written: its run_start (every check of
     * it has run) and the plan it reserves.
     */
    public record Planned(RunStart runStart, PrivacyPlan plan, RunDescription description) {}

    /**
     * Builds the run_start record of a new run and refuses (IllegalArgumentException) a run whose
     * planned ε, composed in one accountant with every run the ledger holds on the same dataset,
     * would exceed the dataset budget. Reads the ledger; writes nothing.
     */
    public static Planned plan(AuditSettings settings, RunDescription run) throws IOException {
        PrivacyPlan plan = run.plan();
        checkDatasetBudget(settings, plan);
        RunStart.Builder start = RunStart.builder()
                .optPrivacyUnit(plan.unit().id())
                .optConfig(config(settings, run))
                .optCodeVersion(settings.codeVersion())
                .optEngineVersion(engineVersion())
                .datasetFingerprint(settings.datasetFingerprint())
                .optSanitization(run.sanitizationConfig(), run.sanitizationReport())
                .accountant(plan.accountant().id())
                .delta(plan.delta())
                .sampleRate(plan.sampleRate())
                .plannedSteps(plan.plannedSteps());
        if (plan.isPrivate()) {
            start.optNoiseMultiplier(plan.noiseMultiplier())
                    .optPlannedEpsilon(PlannedEpsilon.of(plan, run.config().privacyMode() == PrivacyMode.FIXED_NOISE));
        }
        return new Planned(start.build(), plan, run);
    }

    /**
     * Refuses (bad input, nothing written) a run the ledger could not record or the dataset
     * budget would not admit, as the ledger reads now; {@link #start} decides again under the
     * ledger's lock.
     */
    private static void checkDatasetBudget(AuditSettings settings, PrivacyPlan plan) throws IOException {
        if (settings.hasDatasetBudget() && !plan.isPrivate()) {
            throw new IllegalArgumentException("dataset budget cannot admit a run without privacy (its epsilon is "
                    + "unbounded); drop --no-privacy or the dataset budget");
        }
        if (!recordsInLedger(settings, plan)) {
            return;
        }
        Ledger ledger = openLedger(settings.ledgerFile().orElseThrow());
        if (settings.hasDatasetBudget()) {
            ledger.checkBudget(settings.datasetFingerprint(), plannedEvents(plan), plan.delta(), plan.accountant(),
                    settings.datasetBudget());
        }
    }

    /** Private runs are recorded in the ledger, when there is one. */
    private static boolean recordsInLedger(AuditSettings settings, PrivacyPlan plan) {
        return plan.isPrivate() && settings.ledgerFile().isPresent();
    }

    /**
     * Opens the log of the run directory {@code claim} holds and writes run_start and the
     * vocabulary event of a {@link #plan planned} run.
     */
    public static AuditTrail start(RunLock claim, AuditSettings settings, Planned planned) throws IOException {
        AuditLog log = open(claim, settings);
        try {
            if (log.resumed()) {
                throw new IllegalArgumentException("run directory must not hold an audit log yet, had " + log.file());
            }
            log.runStart(planned.runStart());
            PrivacyPlan plan = planned.plan();
            if (recordsInLedger(settings, plan)) {
                reserve(claim, log, settings, planned);
            }
            List<PrivacyEvent> vocabularyCost = new ArrayList<>();
            plan.priorCosts().stream().filter(c -> c.mechanism().equals("vocabulary"))
                    .forEach(c -> vocabularyCost.addAll(c.events()));
            log.vocabulary(planned.description().vocabularyMethod(), planned.description().vocabularySize(),
                    vocabularyCost);
            return new AuditTrail(claim.files().dir(), log, settings, planned.runStart().runId(), plan);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Reserves the run's planned ε in the ledger right after run_start, before any other file and
     * any training step (ARCHITECTURE §6): the budget check and the append are one decision under
     * the ledger's lock. A run refused here leaves nothing behind: its log, lock and directory are
     * removed.
     */
    private static void reserve(RunLock claim, AuditLog log, AuditSettings settings, Planned planned)
            throws IOException {
        PrivacyPlan plan = planned.plan();
        LedgerEntry reservation = LedgerEntry.reservation(planned.runStart().runId(),
                claim.files().dir().toAbsolutePath().toString(), settings.datasetFingerprint(), plan.accountant(),
                plan.delta(), epsilonOf(plan.accountant(), plannedEvents(plan), plan.delta()), plannedEvents(plan));
        try {
            openLedger(settings.ledgerFile().orElseThrow()).reserve(reservation,
                    settings.hasDatasetBudget() ? settings.datasetBudget() : Double.NaN);
        } catch (IOException | RuntimeException e) {
            log.close();
            claim.discard(List.of(log.file()));
            if (e instanceof LedgerDamagedException damaged) {
                throw new IllegalArgumentException(damaged.getMessage(), damaged);
            }
            throw e;
        }
    }

    /**
     * Continues the log of a checkpointed run whose directory {@code lock} holds (a torn last line
     * is cut off and recorded by {@link AuditLog#open}) and records the resume with the accountant
     * history restored.
     *
     * @throws IllegalArgumentException if the log has no run_start, already ends with run_end, or
     *     was started on a different dataset
     */
    public static AuditTrail resume(RunLock lock, AuditSettings settings, TrainingCheckpoint checkpoint)
            throws IOException {
        Path runDir = lock.files().dir();
        ObjectNode runStart = readRunStart(runDir, settings);
        continueReservation(runDir, settings, runStart, checkpoint.plan());
        AuditLog log = open(lock, settings);
        try {
            log.resume(RunFiles.CHECKPOINT, checkpoint.steps(), PrivacyHistory.merged(checkpoint.history()));
            return new AuditTrail(runDir, log, settings, runStart.path("run_id").asText(), checkpoint.plan());
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * A resumed run continues its reservation; a run the ledger does not know yet (started with
     * another ledger, or by an older build) is reserved now.
     */
    private static void continueReservation(Path runDir, AuditSettings settings, ObjectNode runStart, PrivacyPlan plan)
            throws IOException {
        refuseSettledRun(runDir, runStart, settings);
        if (!recordsInLedger(settings, plan)) {
            return;
        }
        Ledger ledger = openLedger(settings.ledgerFile().orElseThrow());
        String runId = runStart.path("run_id").asText();
        if (ledger.run(runId).isEmpty()) {
            ledger.reserve(LedgerEntry.reservation(runId, runDir.toAbsolutePath().toString(), settings.datasetFingerprint(),
                    plan.accountant(), plan.delta(), epsilonOf(plan.accountant(), plannedEvents(plan), plan.delta()),
                    plannedEvents(plan)), Double.NaN);
        }
    }

    /**
     * Refuses (bad input) to resume or abandon a run from a directory other than the one the
     * ledger records for it: two copies of a killed run resumed together would each take its
     * remaining steps with fresh noise while the ledger counted the run once, and a copy made
     * earlier would abandon it with less than it spent. A moved run directory is moved back.
     */
    static void requireRecordedDirectory(LedgerRun run, Path runDir, String action) throws IOException {
        Path recorded = Path.of(run.runDir());
        if (!(Files.isDirectory(recorded) && Files.isSameFile(recorded, runDir))) {
            throw new IllegalArgumentException("run " + run.runId() + " is recorded in the ledger for " + recorded
                    + ", and " + runDir + " is another directory (a copy, or the run moved): only the recorded "
                    + "directory is " + action + " (two copies would spend the run's remaining steps twice, and the "
                    + "ledger count them once); use " + recorded + ", or move the run back there");
        }
    }

    /**
     * Refuses (bad input) to resume a run the ledger records as abandoned (its spending was
     * settled) or complete (its log has lost its end), or from a directory other than the one it
     * records.
     */
    private static void refuseSettledRun(Path runDir, ObjectNode runStart, AuditSettings settings) throws IOException {
        if (settings.ledgerFile().isEmpty() || !Files.exists(settings.ledgerFile().get())) {
            return;
        }
        Ledger ledger = openLedger(settings.ledgerFile().get());
        String runId = runStart.path("run_id").asText();
        Optional<LedgerRun> recorded = ledger.run(runId);
        if (recorded.isEmpty()) {
            return;
        }
        if (recorded.get().status() == LedgerLookup.Status.ABANDONED) {
            throw new IllegalArgumentException("run " + runId + " was abandoned in " + ledger.path() + " (what it spent "
                    + "until then is recorded): it cannot be resumed; start a new run");
        } else if (recorded.get().status() == LedgerLookup.Status.COMPLETE) {
            throw new IllegalArgumentException("run " + runId + " is recorded as finished in " + ledger.path()
                    + ", but its audit log does not end with run_end: lines were cut off; it cannot be resumed");
        }
        requireRecordedDirectory(recorded.get(), runDir, "resumed");
    }

    /**
     * Before a resume reads its checkpoint: makes the checkpoint in place the one the log's last
     * checkpoint event names (a checkpoint a crash left synced under its temporary name is put in
     * place when the log records its hash, and dropped when it does not), then refuses (bad input)
     * a checkpoint or resume input that differs from what the log records. The caller holds the
     * run directory's lock.
     */
    public static void settleCheckpoint(RunFiles files, AuditSettings settings) throws IOException {
        ChainScan scan = scan(files.dir(), settings.key());
        refuseSettledRun(files.dir(), resumableRunStart(files.dir(), scan, settings), settings);
        Optional<ObjectNode> last = scan.lastOfType(EventTypes.CHECKPOINT);
        if (last.isEmpty()) {
            throw new IllegalArgumentException("--resume needs a checkpoint, and the run in " + files.dir()
                    + " stopped before its first: no training step was taken; start a new run (its audit log shows the"
                    + " attempt)");
        }
        Map<String, String> recorded = RunArtefacts.recordedBy(last.get());
        Path pending = AtomicFile.temporaryOf(files.checkpoint());
        if (Files.isRegularFile(pending)) {
            if (DatasetFingerprint.sha256Of(pending).equals(recorded.get(RunFiles.CHECKPOINT))) {
                AtomicFile.commitLeftover(files.checkpoint());
            } else {
                Files.delete(pending); // written before a crash, never recorded: never published
            }
        }
        List<String> mismatches = RunArtefacts.mismatches(files.dir(), recorded);
        if (!mismatches.isEmpty()) {
            throw new IllegalArgumentException("refusing to resume " + files.dir() + ": " + mismatches.get(0)
                    + " (its last checkpoint event)");
        }
    }

    /**
     * Whether the run's log already ends with run_end (the run finished; nothing left to resume).
     * When it does and the ledger has not recorded its end (a crash or a full disk between the
     * two), the completion is appended now from the verified log.
     */
    public static boolean completeIfFinished(Path runDir, AuditSettings settings) throws IOException {
        ChainScan scan = scan(runDir, settings.key());
        if (!scan.lastType().orElse("").equals(EventTypes.RUN_END)) {
            return false;
        }
        ObjectNode start = scan.events().get(0);
        ObjectNode end = scan.events().get(scan.events().size() - 1);
        List<String> mismatches = RunArtefacts.mismatches(runDir, RunArtefacts.recordedBy(end));
        if (!mismatches.isEmpty()) {
            throw new IllegalArgumentException("the run in " + runDir + " has finished, but " + mismatches.get(0));
        }
        Optional<Path> ledgerFile = settings.ledgerFile();
        if (ledgerFile.isPresent() && end.path("epsilon").size() > 0) {
            Ledger ledger = openLedger(ledgerFile.get());
            String runId = start.path("run_id").asText();
            if (ledger.run(runId).map(r -> r.status() != LedgerLookup.Status.COMPLETE).orElse(true)) {
                AccountantKind kind = AccountantKind.parse(start.path("accountant").asText());
                complete(ledger, runDir, LedgerEntry.completion(runId, runDir.toAbsolutePath().toString(),
                        start.path("dataset_fingerprint").asText(), kind, end.path("delta").asDouble(),
                        end.path("epsilon").path(kind.id()).asDouble(),
                        PrivacyEventJson.listFromJson(end.get("privacy_events")), scan.lastHash()));
            }
        }
        return true;
    }

    public String runId() {
        return runId;
    }

    public AuditLog log() {
        return log;
    }

    @Override
    public void onEpochEnd(EpochSummary summary) {
        write(() -> log.epoch(summary.epoch(), summary.steps(), epsilonByAccountant(summary.steps()),
                summary.validLoss(), summary.validAccuracy(), summary.validMetrics()));
    }

    /**
     * Logs a checkpoint before it replaces the previous one (the trainer renames it into place
     * after this returns): its hash and those of the files a resume reads with it, which a resume
     * checks ({@link #settleCheckpoint}).
     */
    @Override
    public void onCheckpoint(Path file, long steps, double epsilon, String sha256) {
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put(file.getFileName().toString(), sha256);
        write(() -> {
            hashes.putAll(RunArtefacts.hash(file.toAbsolutePath().getParent(), RunFiles.RESUME_INPUTS));
            return log.checkpoint(file.getFileName().toString(), steps, spentAfter(steps), hashes);
        });
    }

    /** A tuned run's tuning event: its trials, noisy scores and chosen trial, as report.json's tuning section. */
    @Override
    public void onTuningEnd(Map<String, Object> tuning) {
        write(() -> log.append(EventTypes.TUNING, JSON.valueToTree(tuning)));
    }

    @Override
    public void onBudgetRefused(long steps, double epsilonSpent, double epsilonCap) {
        write(() -> log.budgetRefused(String.format(Locale.ROOT,
                "after %d steps (epsilon %.6g spent), the next DP-SGD step would exceed the epsilon cap", steps,
                epsilonSpent), epsilonSpent, epsilonCap));
    }

    /**
     * A non_finite event: training stopped at {@code steps} (ε so far per accountant, and the
     * privacy events spent, which an abandonment counts: the event tells of steps after the last
     * checkpoint); run_end follows.
     */
    @Override
    public void onNonFinite(long steps, double epsilonSpent) {
        ObjectNode fields = JSON.createObjectNode();
        fields.put("steps", steps);
        fields.set("epsilon", JSON.valueToTree(epsilonByAccountant(steps)));
        fields.set("privacy_events", PrivacyEventJson.toJson(spentAfter(steps)));
        fields.put("reason", "the weights became non-finite (NaN or infinite)");
        write(() -> log.append(EventTypes.NON_FINITE, fields));
    }

    /**
     * Writes run_end (final ε per accountant, the complete accountant history, the SHA-256 of every
     * artefact of the run directory by name), then, for a private run with a ledger, completes its
     * reservation with what it spent and the log's final hash. Call after the model file is saved.
     */
    public void finish(TrainingResult result) throws IOException {
        Map<String, Double> epsilon = result.isPrivate() ? epsilonByAccountant(result.privacyHistory())
                : Map.of();
        Map<String, Double> breakdown = result.isPrivate() ? result.epsilonBreakdown() : Map.of();
        String lastHash = log.runEnd(new RunEnd(runId, result.steps(), epsilon, breakdown, result.delta(),
                result.privacyHistory(), result.trainSeconds(), RunArtefacts.hash(runDir, RunFiles.ARTEFACTS)));
        if (recordsInLedger(settings, plan)) {
            complete(openLedger(settings.ledgerFile().orElseThrow()), runDir, LedgerEntry.completion(runId,
                    runDir.toAbsolutePath().toString(), settings.datasetFingerprint(), result.accountant(), result.delta(),
                    result.epsilon(), result.privacyHistory(), lastHash));
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    private Map<String, Double> epsilonByAccountant(long steps) {
        return plan.isPrivate() ? epsilonByAccountant(spentAfter(steps)) : Map.of();
    }

    /** The privacy events of the run after {@code steps} DP-SGD steps: its earlier mechanisms, then the steps. */
    private List<PrivacyEvent> spentAfter(long steps) {
        if (!plan.isPrivate()) {
            return List.of();
        }
        return plan.spentAfter(steps);
    }

    private Map<String, Double> epsilonByAccountant(List<PrivacyEvent> history) {
        return epsilonByAccountant(plan.accountant(), history, plan.delta());
    }

    /**
     * ε at δ under every accountant, the run's own first. The others are for comparison only, so
     * one that cannot bound this history is left out rather than ending a run that has spent
     * privacy: PLD has no bound for a tuned run, and its grid cannot hold the losses of the tiny
     * noise an RDP run may use.
     */
    static Map<String, Double> epsilonByAccountant(AccountantKind own, List<PrivacyEvent> history, double delta) {
        Map<String, Double> byAccountant = new LinkedHashMap<>();
        byAccountant.put(own.id(), epsilonOf(own, history, delta));
        for (AccountantKind kind : AccountantKind.values()) {
            if (kind == own || !history.stream().allMatch(Accountants.newAccountant(kind)::supports)) {
                continue;
            }
            try {
                byAccountant.put(kind.id(), epsilonOf(kind, history, delta));
            } catch (HistoryOutOfRangeException beyondItsRange) {
                // the run's own accountant bounds it; nothing else is claimed
            }
        }
        return byAccountant;
    }

    static double epsilonOf(AccountantKind kind, List<PrivacyEvent> events, double delta) {
        PrivacyAccountant accountant = Accountants.newAccountant(kind);
        events.stream().filter(e -> !(e instanceof PrivacyEvent.PoissonGaussian pg && pg.count() == 0))
                .forEach(accountant::compose);
        return accountant.history().isEmpty() ? 0.0 : accountant.epsilon(delta);
    }

    private static JsonNode config(AuditSettings settings, RunDescription run) {
        ObjectNode config = JSON.createObjectNode();
        config.put("task", run.task());
        config.set("dp_sgd", JSON.valueToTree(run.config().toMap()));
        config.set("model", run.model());
        config.set("encoding", run.encoding());
        config.put("vocabulary", run.vocabularyMethod());
        config.put("vocabulary_size", run.vocabularySize());
        List<Map<String, Object>> costs = new ArrayList<>();
        for (PrivacyCost cost : run.plan().priorCosts()) {
            costs.add(Map.of("mechanism", cost.mechanism(), "events", PrivacyHistory.toMaps(cost.events())));
        }
        config.set("prior_costs", JSON.valueToTree(costs));
        config.set("run", settings.runConfig());
        return config;
    }

    private static String engineVersion() {
        Engine engine = Engine.getInstance();
        return engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
    }

    private static AuditLog open(RunLock lock, AuditSettings settings) throws IOException {
        try {
            return AuditLog.open(lock, settings.key());
        } catch (LogNotIntactException e) {
            throw new IllegalArgumentException(e.getMessage()
                    + (settings.key().present() ? "" : " (if the log is keyed, give its key file)"), e);
        }
    }

    /** The run's verified audit log, which must start with run_start (bad input otherwise). */
    static ChainScan scan(Path runDir, AuditKey key) throws IOException {
        Path file = RunFiles.of(runDir).log();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("run directory must hold the run's audit log, missing: " + file);
        }
        ChainScan scan = ChainScanner.scan(file, key.newHasher());
        if (scan.problem().isPresent()) {
            throw new IllegalArgumentException(file + " does not verify: " + scan.problem().get()
                    + (key.present() ? "" : " (if the log is keyed, give its key file)"));
        }
        if (scan.events().isEmpty() || !scan.events().get(0).path("type").asText().equals(EventTypes.RUN_START)) {
            throw new IllegalArgumentException(file + " must start with a run_start event");
        }
        return scan;
    }

    private static ObjectNode readRunStart(Path runDir, AuditSettings settings) throws IOException {
        return resumableRunStart(runDir, scan(runDir, settings.key()), settings);
    }

    /**
     * The run_start of a run that may be resumed on the given data: bad input when its log ends
     * with run_end or it was started on other data.
     */
    private static ObjectNode resumableRunStart(Path runDir, ChainScan scan, AuditSettings settings) {
        if (scan.lastType().orElse("").equals(EventTypes.RUN_END)) {
            throw new IllegalArgumentException("the run in " + runDir + " has finished (its audit log ends with run_end)");
        }
        ObjectNode runStart = scan.events().get(0);
        String recorded = runStart.path("dataset_fingerprint").asText();
        if (!recorded.equals(settings.datasetFingerprint())) {
            throw new IllegalArgumentException("training data must be the run's: its fingerprint is "
                    + settings.datasetFingerprint() + ", the run was started on " + recorded);
        }
        return runStart;
    }

    /** The ledger; a damaged one refuses the run as bad input (nothing can be recorded in it). */
    static Ledger openLedger(Path file) throws IOException {
        try {
            return Ledger.open(file);
        } catch (LedgerDamagedException e) {
            throw new IllegalArgumentException(e.getMessage() + "; no run is recorded in it, so none is started or "
                    + "resumed", e);
        }
    }

    /**
     * Records a run's end in the ledger. When that fails (a full disk), the run's reservation stays
     * and counts its planned ε; the failure says how to record the end later.
     */
    private static void complete(Ledger ledger, Path runDir, LedgerEntry completion) throws IOException {
        try {
            ledger.complete(completion);
        } catch (IOException e) {
            throw new IOException("cannot record the end of run " + completion.runId() + " in the ledger " + ledger.path()
                    + " (" + e.getMessage() + "); its planned epsilon stays reserved there; once the ledger can be "
                    + "written, 'dplstm train --resume " + runDir + "' records it", e);
        }
    }

    /** An audit write inside a listener callback. */
    private interface Write {
        String run() throws IOException;
    }

    private static void write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log", e);
        }
    }
}
