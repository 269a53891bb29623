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
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.training.checkpoint.AtomicFiles;
import org.dplstm.training.checkpoint.CheckpointFile;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.DpSgdTrainer;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.PrivacyCost;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.PrivacyPlanner;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.TrainingCheckpoint;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.provenance.AuditTrail;
import org.dplstm.training.provenance.RunDescription;

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

    public static final String MODEL_CONFIG_FILE = "model_config.json";
    /** The trained model's weights in a run directory (hashed into run_end). */
    public static final String MODEL_FILE = "model.bin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DpSgdConfig config;
    private final Path outputDirectory;
    private final List<TrainingListener> listeners;
    private final AuditSettings audit;
    private final Path initialRun;
    private final PublicEncoder publicEncoder;
    private final NDManager manager;

    /** The parts of a run only its task knows: how to make its model, and what it keeps of it. */
    public interface Task<M extends DifferentiableModel> {

        /** A new model of this shape (the seed initialises its weights). */
        M newModel(ModelConfig modelConfig, NDManager manager, long seed);

        /** Keeps the trained model (e.g. wrapped as a classifier with its encoder). */
        TrainedModel keep(M model);

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

    /** A trained model as its task keeps it: saved as {@value #MODEL_FILE} (and its encoder) in a directory. */
    public interface TrainedModel {
        void save(Path dir) throws IOException;
    }

    /** Encodes records the way a task's encoder does (user ids at user level). */
    public interface Encoding {
        EncodedDataset encode(List<TextRecord> records, boolean withUsers);
    }

    /**
     * @param outputDirectory where checkpoints, the model and the audit log go; null: nothing written
     * @param audit how the run is audited; null: no audit log (needs an output directory otherwise)
     */
    public TrainingSession(DpSgdConfig config, Device device, Path outputDirectory, List<TrainingListener> listeners,
            AuditSettings audit) {
        this(config, device, outputDirectory, listeners, audit, null);
    }

    /**
     * @param initialRun a finished run whose weights the model starts from (see {@link
     *     TextModelTrainerBuilder#optInitialRun}); null: random initialisation
     */
    public TrainingSession(DpSgdConfig config, Device device, Path outputDirectory, List<TrainingListener> listeners,
            AuditSettings audit, Path initialRun) {
        this(config, device, outputDirectory, listeners, audit, initialRun, null);
    }

    /**
     * @param publicEncoder a shipped public encoder whose embedding and LSTM the model starts
     *     from (at most one of it and {@code initialRun}); null: none
     */
    public TrainingSession(DpSgdConfig config, Device device, Path outputDirectory, List<TrainingListener> listeners,
            AuditSettings audit, Path initialRun, PublicEncoder publicEncoder) {
        if (initialRun != null && publicEncoder != null) {
            throw new IllegalArgumentException("start from one initial run or one public encoder, not both");
        }
        this.initialRun = initialRun;
        this.publicEncoder = publicEncoder;
        this.config = Objects.requireNonNull(config, "config");
        if (audit != null && outputDirectory == null) {
            throw new IllegalArgumentException("audit needs an output directory (for audit.jsonl), was none");
        }
        this.outputDirectory = outputDirectory;
        this.listeners = List.copyOf(listeners);
        this.audit = audit;
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
        return PrivacyPlanner.plan(config, train.unitCount(config.privacyUnit()), costs);
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
        EncodedDataset encodedValid = encodeValidation(valid, encoder::encode);
        PrivacyPlan plan = plan(encodedTrain, costs);
        RunDescription description = new RunDescription(config, plan, modelConfig.task().id(),
                JSON.valueToTree(modelConfig.toMap()), encoding, encoder.sanitizationConfig(), sanitization.toJson(),
                vocabularyId, modelConfig.vocabSize());
        if (config.freeze() != FrozenPart.NONE && initialRun == null && publicEncoder == null) {
            throw new IllegalArgumentException("freeze " + config.freeze().id() + " needs a warm start (an initial run"
                    + " or a public encoder: --init RUN_DIR or --init public:NAME); random weights would stay random");
        }
        if (publicEncoder != null) {
            String misfit = publicEncoder.misfit(modelConfig, encoding.path("token_level").asText());
            if (misfit != null) {
                throw new IllegalArgumentException(misfit);
            }
        }
        return checkInitialRun(new PreparedTextRun<>(encoder, encodedTrain, encodedValid, plan, modelConfig,
                sanitization, description, warnings(plan)));
    }

    /** Whether training data is encoded with user ids (user-level privacy). */
    private boolean userLevel() {
        return config.privacyUnit() == PrivacyUnit.USER;
    }

    /**
     * Trains a prepared run; with an output directory, writes checkpoints and the model there,
     * and with audit settings the audit log (run_start first, run_end after the model is saved)
     * and the ledger entry. A dataset budget the run would exceed is refused before anything is
     * written.
     */
    public <M extends DifferentiableModel> TrainingResult train(PreparedTextRun<?> run, Task<M> task) {
        long seed = config.seed().orElseGet(() -> new SecureRandom().nextLong());
        try {
            if (audit != null) {
                AuditTrail.checkDatasetBudget(audit, run.plan());
            }
            M model = task.newModel(run.modelConfig(), manager, seed);
            if (initialRun != null) {
                initialise(model, run);
            }
            if (publicEncoder != null) {
                publicEncoder.initialise(model, manager);
            }
            if (outputDirectory != null) {
                Files.createDirectories(outputDirectory);
            }
            try (AuditTrail trail = audit == null ? null : AuditTrail.start(outputDirectory, audit, run.description())) {
                if (outputDirectory != null) {
                    AtomicFiles.writeString(outputDirectory.resolve(MODEL_CONFIG_FILE),
                            JSON.writeValueAsString(run.modelConfig().toMap()));
                    run.saveEncoder(outputDirectory);
                }
                TrainingResult result = newTrainer(model, trail).fit(run.train(), run.valid(), run.plan());
                finish(task, model, result, trail);
                return result;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Continues the run checkpointed in {@code runDir} on the same data, encoded by the run's
     * saved encoder: the model, optimizer and accountant state; fresh randomness; the spent
     * budget kept; the audit log continued.
     */
    @SuppressWarnings("unchecked")
    public <M extends DifferentiableModel> TrainingResult resume(Path runDir, List<TextRecord> train,
            List<TextRecord> valid, Encoding encoding, Task<M> task) throws IOException {
        TrainingCheckpoint checkpoint = TrainingCheckpoint.readFrom(runDir.resolve(CheckpointFile.FILE_NAME), manager);
        ModelConfig modelConfig = ModelConfig.fromMap(
                JSON.readValue(runDir.resolve(MODEL_CONFIG_FILE).toFile(), Map.class));
        M model = task.newModel(modelConfig, manager, 0);
        boolean userLevel = checkpoint.plan().unit() == PrivacyUnit.USER;
        EncodedDataset encodedTrain = encoding.encode(train, userLevel);
        EncodedDataset encodedValid = encodeValidation(valid, encoding);
        try (AuditTrail trail = audit == null ? null : AuditTrail.resume(runDir, audit, checkpoint)) {
            TrainingResult result = newTrainer(model, trail).resume(checkpoint, encodedTrain, encodedValid);
            finish(task, model, result, trail);
            return result;
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
        Path modelFile = initialModelFile(); // first: a directory that is no run at all is named as such
        try {
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
            try (LstmStackModel initial = ModelFile.loadAny(modelFile, manager)) {
                checkShape(initial, run);
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkShape(LstmStackModel initial, PreparedTextRun<?> run) {
        if (!initial.config().toMap().equals(run.modelConfig().toMap())) {
            throw new IllegalArgumentException("initial run's model must have this run's shape "
                    + run.modelConfig().toMap() + ", was " + initial.config().toMap());
        }
    }

    /** The initial run's model file; bad input when it has none. */
    private Path initialModelFile() {
        Path modelFile = initialRun.resolve(MODEL_FILE);
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("initial run must be a finished run directory with " + MODEL_FILE
                    + ", was " + initialRun);
        }
        return modelFile;
    }

    /**
     * Copies the initial run's weights into {@code model}. Its encoding was checked in prepare
     * ({@link #checkInitialRun}); the shape is checked again on the loaded model, which is free.
     */
    private void initialise(DifferentiableModel model, PreparedTextRun<?> run) throws IOException {
        try (LstmStackModel initial = ModelFile.loadAny(initialModelFile(), manager)) {
            checkShape(initial, run);
            NDList from = initial.parameters();
            NDList to = model.parameters();
            for (int i = 0; i < to.size(); i++) {
                from.get(i).copyTo(to.get(i));
            }
        }
    }

    /** Validation records encoded without user ids; null when there are none. */
    private static EncodedDataset encodeValidation(List<TextRecord> valid, Encoding encoding) {
        return valid == null || valid.isEmpty() ? null : encoding.encode(valid, false);
    }

    private DpSgdTrainer newTrainer(DifferentiableModel model, AuditTrail trail) {
        DpSgdTrainer.Builder builder = DpSgdTrainer.builder().config(config).model(model);
        listeners.forEach(builder::optListener);
        if (trail != null) {
            // Last, so callers' run-end work (e.g. a report file) is done before run_end is written.
            builder.optListener(trail);
        }
        if (outputDirectory != null) {
            builder.optCheckpointFile(outputDirectory.resolve(CheckpointFile.FILE_NAME));
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
            trail.finish(result, outputDirectory.resolve(MODEL_FILE));
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
