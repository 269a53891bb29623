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
import org.dplstm.audit.ledger.LedgerEntry;
import org.dplstm.audit.log.AuditLog;
import org.dplstm.audit.log.ChainScan;
import org.dplstm.audit.log.ChainScanner;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.audit.log.EventTypes;
import org.dplstm.audit.log.LogLockedException;
import org.dplstm.audit.log.LogNotIntactException;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.audit.log.RunStart;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.training.dpsgd.EpochSummary;
import org.dplstm.training.dpsgd.PrivacyCost;
import org.dplstm.training.dpsgd.PrivacyHistory;
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
    private static final List<String> RESUME_FILES =
            List.of("encoder.json", "lm_encoder.json", "vocabulary.json", "tokenizer.json", "model_config.json");

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
        List<PrivacyEvent> events = new ArrayList<>(plan.priorEvents());
        events.add(plan.stepEvent(plan.plannedSteps()));
        return events;
    }

    /**
     * Refuses (IllegalArgumentException, nothing written) a run whose planned ε, composed in one
     * accountant with every run the ledger holds on the same dataset, would exceed the dataset
     * budget. Does nothing without a budget.
     */
    public static void checkDatasetBudget(AuditSettings settings, PrivacyPlan plan) throws IOException {
        if (!settings.hasDatasetBudget()) {
            return;
        }
        if (!plan.isPrivate()) {
            throw new IllegalArgumentException("dataset budget cannot admit a run without privacy (its epsilon is "
                    + "unbounded); drop --no-privacy or the dataset budget");
        }
        Path ledgerFile = settings.ledgerFile().orElseThrow();
        Ledger ledger = openLedger(ledgerFile);
        double total = ledger.plannedTotalEpsilon(settings.datasetFingerprint(), plannedEvents(plan), plan.delta(),
                plan.accountant());
        if (total > settings.datasetBudget()) {
            double spent = ledger.totalEpsilon(settings.datasetFingerprint(), plan.delta(), plan.accountant());
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "dataset budget %.4g would be exceeded: the %d earlier run(s) on dataset %s in %s spent "
                            + "epsilon %.4g, and with this run's plan the total would be %.4g (%s accountant, "
                            + "delta %.1e)", settings.datasetBudget(),
                    ledger.entriesFor(settings.datasetFingerprint()).size(),
                    settings.datasetFingerprint().substring(0, 12), ledgerFile, spent, total,
                    plan.accountant().id(), plan.delta()));
        }
    }

    /** Opens a new run's log and writes run_start and the vocabulary event. */
    public static AuditTrail start(Path runDir, AuditSettings settings, RunDescription run) throws IOException {
        AuditLog log = open(runDir, settings);
        try {
            if (log.resumed()) {
                throw new IllegalArgumentException("run directory must not hold an audit log yet, had " + log.file());
            }
            PrivacyPlan plan = run.plan();
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
                        .optPlannedEpsilon(epsilonOf(plan.accountant(), plannedEvents(plan), plan.delta()));
            }
            RunStart runStart = start.build();
            log.runStart(runStart);
            List<PrivacyEvent> vocabularyCost = new ArrayList<>();
            plan.priorCosts().stream().filter(c -> c.mechanism().equals("vocabulary"))
                    .forEach(c -> vocabularyCost.addAll(c.events()));
            log.vocabulary(run.vocabularyMethod(), run.vocabularySize(), vocabularyCost);
            return new AuditTrail(runDir, log, settings, runStart.runId(), plan);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Continues the log of a checkpointed run (a torn last line is cut off and recorded by
     * {@link AuditLog#open}) and records the resume with the accountant history restored.
     *
     * @throws IllegalArgumentException if the log has no run_start, already ends with run_end, or
     *     was started on a different dataset
     */
    public static AuditTrail resume(Path runDir, AuditSettings settings, TrainingCheckpoint checkpoint)
            throws IOException {
        ObjectNode runStart = readRunStart(runDir, settings);
        AuditLog log = open(runDir, settings);
        try {
            log.resume(checkpointFileName(), checkpoint.steps(), PrivacyHistory.merged(checkpoint.history()));
            return new AuditTrail(runDir, log, settings, runStart.path("run_id").asText(), checkpoint.plan());
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Whether the run's log already ends with run_end (the run finished; nothing left to resume).
     * When it does and the ledger lacks the run (a crash between the two), the ledger entry is
     * appended now from the verified log.
     */
    public static boolean completeIfFinished(Path runDir, AuditSettings settings) throws IOException {
        ChainScan scan = scan(runDir, settings);
        if (!scan.lastType().orElse("").equals(EventTypes.RUN_END)) {
            return false;
        }
        ObjectNode start = scan.events().get(0);
        ObjectNode end = scan.events().get(scan.events().size() - 1);
        Optional<Path> ledgerFile = settings.ledgerFile();
        if (ledgerFile.isPresent() && end.path("epsilon").size() > 0) {
            Ledger ledger = openLedger(ledgerFile.get());
            String runId = start.path("run_id").asText();
            if (ledger.findRun(runId).isEmpty()) {
                AccountantKind kind = AccountantKind.parse(start.path("accountant").asText());
                ledger.append(LedgerEntry.of(runId, runDir.toAbsolutePath().toString(),
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
                summary.validLoss(), summary.validAccuracy()));
    }

    @Override
    public void onCheckpoint(Path file, long steps, double epsilon, String sha256) {
        Map<String, String> hashes = new LinkedHashMap<>();
        hashes.put(file.getFileName().toString(), sha256);
        // The files a resume needs besides the checkpoint (written once, before training): a
        // classifier's encoder.json or a language model's lm_encoder.json, whichever exists.
        write(() -> {
            for (String name : RESUME_FILES) {
                Path other = file.resolveSibling(name);
                if (Files.isRegularFile(other)) {
                    hashes.put(name, DatasetFingerprint.sha256Of(other));
                }
            }
            return log.checkpoint(file.getFileName().toString(), steps, hashes);
        });
    }

    @Override
    public void onBudgetRefused(long steps, double epsilonSpent, double epsilonCap) {
        write(() -> log.budgetRefused(String.format(Locale.ROOT,
                "after %d steps (epsilon %.6g spent), the next DP-SGD step would exceed the epsilon cap", steps,
                epsilonSpent), epsilonSpent, epsilonCap));
    }

    /**
     * Writes run_end (final ε per accountant, the complete accountant history, the saved model's
     * SHA-256), then, for a private run with a ledger, appends the ledger entry carrying the log's
     * final hash. Call after the model file is saved.
     */
    public void finish(TrainingResult result, Path modelFile) throws IOException {
        String modelSha = DatasetFingerprint.sha256Of(modelFile);
        Map<String, Double> epsilon = result.isPrivate() ? epsilonByAccountant(result.privacyHistory())
                : Map.of();
        String lastHash = log.runEnd(result.steps(), epsilon, result.delta(), result.privacyHistory(), modelSha);
        Optional<Path> ledgerFile = settings.ledgerFile();
        if (result.isPrivate() && ledgerFile.isPresent()) {
            openLedger(ledgerFile.get()).append(LedgerEntry.of(runId, runDir.toAbsolutePath().toString(),
                    settings.datasetFingerprint(), result.accountant(), result.delta(), result.epsilon(),
                    result.privacyHistory(), lastHash));
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    private Map<String, Double> epsilonByAccountant(long steps) {
        if (!plan.isPrivate()) {
            return Map.of();
        }
        List<PrivacyEvent> history = new ArrayList<>(plan.priorEvents());
        history.add(plan.stepEvent(steps));
        return epsilonByAccountant(history);
    }

    /** ε at the run's δ under every accountant, the run's own first. */
    private Map<String, Double> epsilonByAccountant(List<PrivacyEvent> history) {
        Map<String, Double> byAccountant = new LinkedHashMap<>();
        byAccountant.put(plan.accountant().id(), epsilonOf(plan.accountant(), history, plan.delta()));
        for (AccountantKind kind : AccountantKind.values()) {
            byAccountant.computeIfAbsent(kind.id(), id -> epsilonOf(kind, history, plan.delta()));
        }
        return byAccountant;
    }

    private static double epsilonOf(AccountantKind kind, List<PrivacyEvent> events, double delta) {
        PrivacyAccountant accountant = kind.newAccountant();
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

    private static String checkpointFileName() {
        return org.dplstm.training.checkpoint.CheckpointFile.FILE_NAME;
    }

    private static AuditLog open(Path runDir, AuditSettings settings) throws IOException {
        try {
            return AuditLog.open(runDir, settings.key());
        } catch (LogLockedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (LogNotIntactException e) {
            throw new IllegalArgumentException(e.getMessage()
                    + (settings.key().present() ? "" : " (if the log is keyed, give its key file)"), e);
        }
    }

    private static ChainScan scan(Path runDir, AuditSettings settings) throws IOException {
        Path file = AuditLog.logFile(runDir);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("run directory must hold the run's audit log, missing: " + file);
        }
        ChainScan scan = ChainScanner.scan(file, settings.key().newHasher());
        if (scan.problem().isPresent()) {
            throw new IllegalArgumentException(file + " does not verify: " + scan.problem().get()
                    + (settings.key().present() ? "" : " (if the log is keyed, give its key file)"));
        }
        if (scan.events().isEmpty() || !scan.events().get(0).path("type").asText().equals(EventTypes.RUN_START)) {
            throw new IllegalArgumentException(file + " must start with a run_start event");
        }
        return scan;
    }

    private static ObjectNode readRunStart(Path runDir, AuditSettings settings) throws IOException {
        ChainScan scan = scan(runDir, settings);
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

    private static Ledger openLedger(Path file) throws IOException {
        try {
            return Ledger.open(file);
        } catch (LogNotIntactException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
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
