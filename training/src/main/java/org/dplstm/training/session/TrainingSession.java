package org.dplstm.training.session;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.run.RunLock;
import org.dplstm.audit.verify.RunArtefacts;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.DpSgdTrainer;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.NonFiniteTrainingException;
import org.dplstm.training.dpsgd.PrivacyCost;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.PrivacyPlanner;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.dpsgd.TechniqueSettings;
import org.dplstm.training.dpsgd.TrainingCheckpoint;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.dpsgd.ValidationMetrics;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.ModelFootprint;
import org.dplstm.training.model.ModelKind;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.provenance.AuditTrail;
import org.dplstm.training.provenance.RunDescription;
import org.dplstm.training.tuning.TrialRandomness;
import org.dplstm.training.tuning.TuningSettings;

/**
 * What every text-model trainer does around its task (classifier, language model): plans the
 * privacy budget, owns the engine arrays, writes the run directory (model config, encoder,
 * checkpoints, model) and keeps the audit trail and ledger entry, so every task gets them by
 * construction. The task contributes only its model, its encoder and its trained artefact
 * ({@link Task}).
 *
 * <p>Write order (crash safety, ARCHITECTURE §6): a dataset budget the run would exceed is refused
 * before anything is written; run_start comes before any other file; the DP-SGD loop makes each
 * checkpoint durable before its epoch is logged; run_end is written after the model is saved and
 * the ledger entry after run_end.
 */
public final class TrainingSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DpSgdConfig config;
    private final Path outputDirectory;
    private final List<TrainingListener> listeners;
    private final AuditSettings audit;
    private final Path initialRun;
    private final PublicEncoder publicEncoder;
    private final String settingsJson;
    private final StepSums.Factory stepSums;
    /** The public text of public preconditioning, encoded as the run's data (null when off); set by prepare or resume. */
    private EncodedDataset publicText;
    private final TuningSettings tuning;
    private final NDManager manager;

    /** The parts of a run only its task knows: how to make its model, and what it keeps of it. */
    public interface Task<M extends DifferentiableModel> {

        /** A new model of this shape (the seed initialises its weights). */
        M newModel(ModelConfig modelConfig, NDManager manager, long seed);

        /** Keeps the trained model (e.g. wrapped as a classifier with its encoder). */
        TrainedModel keep(M model);

        /** Further validation figures of {@code model} at each epoch end (e.g. BLEU); null: none. */
        default ValidationMetrics validationMetrics(M model) {
            return null;
        }

        /** A task from a model factory and what to keep of a trained model. */
        static <M extends DifferentiableModel> Task<M> of(ModelFactory<M> factory, Function<M, TrainedModel> keep) {
            return new Task<>() {
                @Override
                public M newModel(ModelConfig modelConfig, NDManager manager, long seed) {
                    return factory.create(modelConfig, manager, seed);
                }

                @Override
                public TrainedModel keep(M model) {
                    return keep.apply(model);
                }
            };
        }
    }

    /** Makes a task's model, e.g. {@code LstmClassifier::create}. */
    public interface ModelFactory<M extends DifferentiableModel> {
        M create(ModelConfig modelConfig, NDManager manager, long seed);
    }

    /** A trained model as its task keeps it: saved as {@value RunFiles#MODEL} (and its encoder) in a directory. */
    public interface TrainedModel {
        void save(Path dir) throws IOException;
    }

    /** Encodes records the way a task's encoder does (user ids at user level). */
    public interface Encoding {
        EncodedDataset encode(List<TextRecord> records, boolean withUsers);
    }

    /**
     * @param outputDirectory where checkpoints, the model and the audit log go (a new or empty
     *     directory, claimed atomically); null: nothing written
     * @param audit how the run is audited; null: no audit log (needs an output directory otherwise)
     * @param initialRun a finished run whose weights the model starts from (see {@link
     *     TextModelTrainerBuilder#optInitialRun}); null: random initialisation
     * @param settingsJson the caller's settings, saved as {@value RunFiles#SETTINGS} once the
     *     directory is claimed (what {@code train --resume} rebuilds the run from); null: none
     * @param stepSums where a private step's clipped sum is computed (several devices, a cluster);
     *     null: in this process
     * @param tuning private hyperparameter tuning ({@link TunedTrials}); null: one run
     */
    public TrainingSession(DpSgdConfig config, Device device, Path outputDirectory, List<TrainingListener> listeners,
            AuditSettings audit, Path initialRun, PublicEncoder publicEncoder, String settingsJson,
            StepSums.Factory stepSums, TuningSettings tuning) {
        if (initialRun != null && publicEncoder != null) {
            throw new IllegalArgumentException("start from one initial run or one public encoder, not both");
        }
        this.initialRun = initialRun;
        this.publicEncoder = publicEncoder;
        this.stepSums = stepSums;
        this.tuning = tuning;
        this.config = Objects.requireNonNull(config, "config");
        if (audit != null && outputDirectory == null) {
            throw new IllegalArgumentException("audit needs an output directory (for audit.jsonl), was none");
        }
        this.outputDirectory = outputDirectory;
        this.listeners = List.copyOf(listeners);
        this.audit = audit;
        this.settingsJson = settingsJson;
        this.manager = NDManager.newBaseManager(device != null ? device : defaultDevice());
    }

    /** A GPU when the engine sees one, else the CPU. */
    public static Device defaultDevice() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    public DpSgdConfig config() {
        return config;
    }

    /** The manager every model and result of this session lives in (closed with the session). */
    public NDManager manager() {
        return manager;
    }

    /** Whether records were given, as bad input naming the training set. */
    public static void requireTrainingData(List<TextRecord> train) {
        Objects.requireNonNull(train, "train");
        if (train.isEmpty()) {
            throw new IllegalArgumentException("training set must not be empty, had 0 records");
        }
    }

    /** The privacy plan of training on {@code train} after the earlier mechanisms {@code costs}. */
    private PrivacyPlan plan(EncodedDataset train, List<PrivacyCost> costs) {
        return PrivacyPlanner.plan(config, train.unitCount(config.privacyUnit()), costs,
                tuning == null ? null : tuning.privacyTuning());
    }

    /** Warnings about a plan that is valid but unwise. */
    private List<String> warnings(PrivacyPlan plan) {
        List<String> warnings = new ArrayList<>();
        if (config.isPrivate() && config.delta() >= 1.0 / plan.populationSize()) {
            warnings.add("delta " + config.delta() + " is not below 1/N = " + (1.0 / plan.populationSize())
                    + ": a mechanism may then reveal a whole record; choose delta well below 1/N");
        }
        return warnings;
    }

    /**
     * What every task's prepare ends with once it has chosen its encoder and model: the training
     * and validation records encoded (sanitization counted), σ planned after the earlier
     * mechanisms {@code costs}, the run described for run_start, a warm start checked.
     *
     * @param encoding how text becomes token ids, as run_start records it
     * @param vocabularyId where the vocabulary came from (hash, dp, a file, a public charset)
     */
    public <E extends RunEncoder> PreparedTextRun<E> prepare(E encoder, List<TextRecord> train, List<TextRecord> valid,
            List<PrivacyCost> costs, ModelConfig modelConfig, ObjectNode encoding, String vocabularyId) {
        SanitizationReport sanitization = new SanitizationReport();
        EncodedDataset encodedTrain = encoder.encode(train, userLevel(), sanitization);
        if (encodedTrain.size() == 0) {
            throw new IllegalArgumentException("training set has no text left: its " + train.size()
                    + " record(s) are all empty" + (sanitization.recordsIn() > 0 ? " after sanitization" : "")
                    + ", and empty texts are dropped");
        }
        EncodedDataset encodedValid = encodeValidation(valid, encoder::encode);
        publicText = encodePublicText(modelConfig.task(), encoder::encode);
        if (tuning != null && encodedValid == null) {
            throw new IllegalArgumentException("tuning needs validation data (--valid): each trial is scored on it");
        }
        PrivacyPlan plan = plan(encodedTrain, costs);
        ModelFootprint.checkFitsThisMachine(modelConfig,
                Math.min(config.microBatchSize(), (long) Math.ceil(plan.expectedBatchSize())),
                encodedTrain.longestExample());
        RunDescription description = new RunDescription(config, plan, modelConfig.task().id(),
                JSON.valueToTree(modelConfig.toMap()), encoding, encoder.sanitizationConfig(), sanitization.toJson(),
                vocabularyId, modelConfig.vocabSize());
        if (config.freeze() != FrozenPart.NONE && initialRun == null && publicEncoder == null) {
            throw new IllegalArgumentException("freeze " + config.freeze().id() + " needs a warm start (an initial run"
                    + " or a public encoder: --init RUN_DIR or --init public:NAME); random weights would stay random");
        }
        if (publicEncoder != null) {
            String misfit = publicEncoder.misfit(modelConfig, tokenLevelOf(encoding));
            if (misfit != null) {
                throw new IllegalArgumentException(misfit);
            }
        }
        return checkInitialRun(new PreparedTextRun<>(encoder, encodedTrain, encodedValid, plan, modelConfig,
                sanitization, description, warnings(plan)));
    }

    /**
     * Refuses a shipped start of another task or token level (bad input) before the trainer reads
     * the data: trainers call it first, so no privately selected vocabulary is chosen, let alone
     * named in the refusal, for a run that never starts.
     */
    public void checkPublicStartBeforeData(ModelTask task, String tokenLevel) {
        String misfit = publicEncoder == null ? null : publicEncoder.misfitBeforeData(task, tokenLevel);
        if (misfit != null) {
            throw new IllegalArgumentException(misfit);
        }
    }

    /** The run's token level as a shipped model's card names it: an encoder-decoder's when both sides agree. */
    private static String tokenLevelOf(ObjectNode encoding) {
        if (encoding.has("token_level")) {
            return encoding.get("token_level").asText();
        }
        return pairTokenLevel(encoding.path("source_token_level").asText(), encoding.path("target_token_level").asText());
    }

    /** An encoder-decoder's token levels as refusals name them: one level when both sides agree. */
    public static String pairTokenLevel(String source, String target) {
        return source.equals(target) ? source : "source " + source + ", target " + target;
    }

    /** The shipped public model the run starts from, or null. */
    public PublicEncoder publicEncoder() {
        return publicEncoder;
    }

    /** Tells the listeners how many examples the run encoded (report.json counts them). */
    private void announceData(EncodedDataset train, EncodedDataset valid) {
        for (TrainingListener listener : listeners) {
            listener.onDataEncoded(train.size(), valid == null ? 0 : valid.size());
        }
    }

    /** Whether training data is encoded with user ids (user-level privacy). */
    private boolean userLevel() {
        return config.privacyUnit() == PrivacyUnit.USER;
    }

    /**
     * Trains a prepared run; with an output directory, writes checkpoints and the model there,
     * and with audit settings the audit log and the ledger records. Write order (ARCHITECTURE §6):
     * every check first (the run_start record is built, the dataset budget read, the initial
     * model loaded), then the directory is claimed ({@link RunLock#claimNew}), run_start is
     * written and the run's budget reserved, then the run's files; run_end follows the saved
     * model, and the ledger's completion follows run_end. A refusal leaves nothing behind.
     */
    public <M extends DifferentiableModel> TrainingResult train(PreparedTextRun<?> run, Task<M> task) {
        announceData(run.train(), run.valid());
        long seed = config.seed().orElseGet(() -> new SecureRandom().nextLong());
        try {
            AuditTrail.Planned planned = audit == null ? null : AuditTrail.plan(audit, run.description());
            if (run.plan().tuning() != null) {
                return trainTuned(run, task, seed, planned);
            }
            M model = task.newModel(run.modelConfig(), manager, seed);
            if (initialRun != null) {
                initialise(model, run);
            }
            if (publicEncoder != null) {
                publicEncoder.initialise(model, manager);
            }
            if (outputDirectory == null) {
                TrainingResult result = newTrainer(model, null, task.validationMetrics(model))
                        .fit(run.train(), run.valid(), run.plan());
                task.keep(model);
                return result;
            }
            // Every check has passed: only now is anything written.
            try (RunLock claim = RunLock.claimNew(outputDirectory);
                    AuditTrail trail = planned == null ? null : AuditTrail.start(claim, audit, planned)) {
                writeRunFiles(claim.files(), run);
                TrainingResult result;
                try {
                    result = newTrainer(model, trail, task.validationMetrics(model))
                            .fit(run.train(), run.valid(), run.plan());
                } catch (NonFiniteTrainingException stopped) {
                    finishStopped(task, model, stopped, trail);
                    throw stopped;
                }
                finish(task, model, result, trail);
                return result;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A tuned run ({@link TunedTrials}): the directory claimed and run_start written as for any
     * run, then the trials in memory (no checkpoints: a tuned run cannot be resumed), then the
     * chosen trial's epochs, the tuning event, report and model, and run_end with the tuned ε.
     */
    private <M extends DifferentiableModel> TrainingResult trainTuned(PreparedTextRun<?> run, Task<M> task, long seed,
            AuditTrail.Planned planned) throws IOException {
        TunedTrials<M> trials = new TunedTrials<>(tuning, TrialRandomness.create(), config, run, task, manager,
                listeners, (model, trialConfig) -> {
                    if (initialRun != null) {
                        initialise(model, run);
                    }
                    if (publicEncoder != null) {
                        publicEncoder.initialise(model, manager);
                    }
                    return trialTrainer(model, trialConfig, task.validationMetrics(model));
                });
        if (outputDirectory == null) {
            TunedTrials.Outcome<M> outcome = trials.run(seed);
            task.keep(outcome.model());
            if (outcome.stopped() != null) {
                throw outcome.stopped();
            }
            return outcome.result();
        }
        try (RunLock claim = RunLock.claimNew(outputDirectory);
                AuditTrail trail = planned == null ? null : AuditTrail.start(claim, audit, planned)) {
            writeRunFiles(claim.files(), run);
            TunedTrials.Outcome<M> outcome = trials.run(seed);
            TrainingResult result = outcome.result();
            if (trail != null) {
                result.epochs().forEach(trail::onEpochEnd);
                trail.onTuningEnd(outcome.record());
            }
            for (TrainingListener listener : listeners) {
                listener.onTuningEnd(outcome.record());
                listener.onRunEnd(result);
            }
            finish(task, outcome.model(), result, trail);
            if (outcome.stopped() != null) {
                throw outcome.stopped(); // every trial went non-finite: the run ends as any such run (exit 7)
            }
            return result;
        }
    }

    /** A trial's trainer: the session's listeners for progress, no audit trail, no checkpoints. */
    private DpSgdTrainer trialTrainer(DifferentiableModel model, DpSgdConfig trialConfig, ValidationMetrics metrics) {
        DpSgdTrainer.Builder builder = DpSgdTrainer.builder().config(trialConfig).model(model)
                .optValidationMetrics(metrics).optPublicText(publicText);
        listeners.stream().map(TunedTrials::progressOnly).forEach(builder::optListener);
        if (stepSums != null) {
            builder.optStepSums(stepSums);
        }
        return builder.build();
    }

    /** What a resume and a loaded model read besides the checkpoint: settings, model config, encoder. */
    private void writeRunFiles(RunFiles files, PreparedTextRun<?> run) throws IOException {
        if (settingsJson != null) {
            AtomicFile.writeString(files.settings(), settingsJson);
        }
        AtomicFile.writeString(files.modelConfig(), JSON.writeValueAsString(run.modelConfig().toMap()));
        run.saveEncoder(files.dir());
    }

    /**
     * Continues the run checkpointed in {@code runDir} on the same data, encoded by the run's
     * saved encoder: the model, optimizer and accountant state; fresh randomness; the spent
     * budget kept; the audit log continued. The run directory's lock is taken first.
     */
    @SuppressWarnings("unchecked")
    public <M extends DifferentiableModel> TrainingResult resume(Path runDir, List<TextRecord> train,
            List<TextRecord> valid, Encoding encoding, Task<M> task) throws IOException {
        try (RunLock lock = RunLock.acquire(runDir)) {
            RunFiles files = lock.files();
            if (audit != null) {
                AuditTrail.settleCheckpoint(files, audit);
            }
            TrainingCheckpoint checkpoint = TrainingCheckpoint.readFrom(files.checkpoint(), manager);
            ModelConfig modelConfig = ModelConfig.fromMap(JSON.readValue(files.modelConfig().toFile(), Map.class));
            M model = task.newModel(modelConfig, manager, 0);
            boolean userLevel = checkpoint.plan().unit() == PrivacyUnit.USER;
            EncodedDataset encodedTrain = encoding.encode(train, userLevel);
            EncodedDataset encodedValid = encodeValidation(valid, encoding);
            publicText = encodePublicText(modelConfig.task(), encoding);
            announceData(encodedTrain, encodedValid);
            try (AuditTrail trail = audit == null ? null : AuditTrail.resume(lock, audit, checkpoint)) {
                TrainingResult result;
                try {
                    result = newTrainer(model, trail, task.validationMetrics(model))
                            .resume(checkpoint, encodedTrain, encodedValid);
                } catch (NonFiniteTrainingException stopped) {
                    finishStopped(task, model, stopped, trail);
                    throw stopped;
                }
                finish(task, model, result, trail);
                return result;
            }
        }
    }

    /**
     * Fails (bad input) unless the initial run, if any, fits {@code run}: it must encode text
     * exactly as this run does (its encoder and vocabulary files equal to the ones this run would
     * write: the same labels, length, tokenizer and vocabulary, so every token id and class id
     * means the same) and hold a model of the same shape. {@link #prepare} calls it last,
     * before anything is written.
     */
    private <E extends RunEncoder> PreparedTextRun<E> checkInitialRun(PreparedTextRun<E> run) {
        if (initialRun == null) {
            return run;
        }
        try {
            Path modelFile = initialModelFile(); // first: a directory that is no run at all is named as such
            try (TextModel initial = ModelFile.loadAny(modelFile, manager)) {
                checkKind(initial, run); // before the encoders: an n-gram run's encoder differs from any other's
                checkEncoder(run);
                checkShape(initial, run);
                ManagedModel.requireFinite(initial, modelFile);
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The initial run's encoder and vocabulary files must be the ones this run would write, byte for byte. */
    private void checkEncoder(PreparedTextRun<?> run) throws IOException {
        Path encoderFiles = Files.createTempDirectory("dplstm-init-");
        try {
            run.saveEncoder(encoderFiles);
            try (Stream<Path> files = Files.list(encoderFiles)) {
                for (Path ours : files.sorted().toList()) {
                    Path theirs = initialRun.resolve(ours.getFileName());
                    if (!Files.isRegularFile(theirs) || Files.mismatch(ours, theirs) != -1) {
                        throw new IllegalArgumentException("initial run " + initialRun + " must encode text as this"
                                + " run does (labels, max length, tokenizer and vocabulary), but its "
                                + ours.getFileName() + (Files.isRegularFile(theirs) ? " differs" : " is missing"));
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.list(encoderFiles)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(encoderFiles);
        }
    }

    private void checkKind(TextModel initial, PreparedTextRun<?> run) {
        ModelKind theirs = initial.config().kind();
        ModelKind ours = run.modelConfig().kind();
        if (theirs != ours) {
            throw new IllegalArgumentException("initial run " + initialRun + " holds " + (theirs == ModelKind.NGRAM
                    ? "an n-gram model (--model ngram, the classifiers' default), which has no recurrent weights to"
                    + " start from; train the initial run with --model lstm"
                    : "a recurrent model; an n-gram model (--model ngram) starts from zero weights"));
        }
    }

    private static void checkShape(TextModel initial, PreparedTextRun<?> run) {
        if (!initial.config().toMap().equals(run.modelConfig().toMap())) {
            throw new IllegalArgumentException("initial run's model must have this run's shape "
                    + run.modelConfig().toMap() + ", was " + initial.config().toMap());
        }
    }

    /**
     * The initial run's model file, once its audit log binds it; bad input when it has none or it
     * does not match. A keyed log is checked with this run's key, an unkeyed one without (the
     * initial run's data is public: its log guards against a swapped or damaged model).
     */
    private Path initialModelFile() throws IOException {
        Path modelFile = RunFiles.of(initialRun).model();
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("initial run must be a finished run directory with " + RunFiles.MODEL
                    + ", was " + initialRun);
        }
        AuditKey key = audit != null && RunArtefacts.logIsKeyed(initialRun) ? audit.key() : AuditKey.none();
        RunArtefacts.requireBound(initialRun, key);
        return modelFile;
    }

    /**
     * Copies the initial run's weights into {@code model}. Its encoding was checked in prepare
     * ({@link #checkInitialRun}); the shape is checked again on the loaded model, which is free.
     */
    private void initialise(DifferentiableModel model, PreparedTextRun<?> run) throws IOException {
        try (TextModel initial = ModelFile.loadAny(initialModelFile(), manager)) {
            checkShape(initial, run);
            NDList from = initial.parameters();
            NDList to = model.parameters();
            for (int i = 0; i < to.size(); i++) {
                from.get(i).copyTo(to.get(i));
            }
        }
    }

    /** Validation records encoded without user ids; null when there are none (or none but empty texts). */
    private static EncodedDataset encodeValidation(List<TextRecord> valid, Encoding encoding) {
        EncodedDataset encoded = valid == null || valid.isEmpty() ? null : encoding.encode(valid, false);
        return encoded == null || encoded.size() == 0 ? null : encoded;
    }

    /**
     * The shipped public text of public preconditioning ({@code public:NAME}), encoded as the run's
     * data; null when the config asks for none. It costs no privacy (ARCHITECTURE §2).
     */
    private EncodedDataset encodePublicText(ModelTask task, Encoding encoding) {
        if (config.precondition().isEmpty()) {
            return null;
        }
        String source = config.precondition().get();
        if (task != ModelTask.LANGUAGE_MODEL) {
            throw new IllegalArgumentException("precondition " + source + " is for language models (--task lm), whose"
                    + " public text needs no labels; this run's task is " + task.id());
        }
        if (stepSums != null) {
            throw new IllegalArgumentException("precondition " + source + " runs in one process: it cannot be combined"
                    + " with step sums over several devices or a cluster");
        }
        PublicEncoder model = PublicEncoder.named(TechniqueSettings.publicModelOf(source));
        List<String> lines = model.publicText();
        List<TextRecord> records = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            records.add(TextRecord.of(source, i + 1, lines.get(i), null, null));
        }
        return encoding.encode(records, false);
    }

    private DpSgdTrainer newTrainer(DifferentiableModel model, AuditTrail trail, ValidationMetrics metrics) {
        DpSgdTrainer.Builder builder = DpSgdTrainer.builder().config(config).model(model)
                .optValidationMetrics(metrics).optPublicText(publicText);
        listeners.forEach(builder::optListener);
        if (stepSums != null) {
            builder.optStepSums(stepSums);
        }
        if (trail != null) {
            // Last, so callers' run-end work (e.g. a report file) is done before run_end is written.
            builder.optListener(trail);
        }
        if (outputDirectory != null) {
            builder.optCheckpointFile(RunFiles.of(outputDirectory).checkpoint());
        }
        return builder.build();
    }

    private <M extends DifferentiableModel> void finish(Task<M> task, M model, TrainingResult result,
            AuditTrail trail) throws IOException {
        TrainedModel trained = task.keep(model);
        if (outputDirectory != null) {
            trained.save(outputDirectory);
        }
        if (trail != null) {
            // run_end is the run's commit point: everything else it names is already on disk.
            trail.finish(result);
        }
    }

    /**
     * A run stopped on non-finite weights ends like any run (model saved, run_end with the steps
     * taken, the ledger entry): those steps spent privacy. Loading the model is refused later.
     */
    private <M extends DifferentiableModel> void finishStopped(Task<M> task, M model,
            NonFiniteTrainingException stopped, AuditTrail trail) throws IOException {
        if (stopped.result().isPresent()) {
            finish(task, model, stopped.result().get(), trail);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
