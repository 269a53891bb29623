package org.dplstm.training.classifier;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.data.tokenize.WordTokenizer;
import org.dplstm.data.vocab.DpVocabulary;
import org.dplstm.data.vocab.DpVocabularySelector;
import org.dplstm.data.vocab.HashingVocabulary;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.data.vocab.WordListVocabulary;
import org.dplstm.privacy.Checks;
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
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.provenance.AuditTrail;
import org.dplstm.training.provenance.RunDescription;

/**
 * Trains an LSTM text classifier with DP-SGD from labelled text records: the library API the
 * command line is a thin layer over.
 *
 * <pre>{@code
 * DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(3).optDelta(1e-5).optEpochs(20).build();
 * try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config).build()) {
 *     TrainingResult result = trainer.fit(train, valid);
 *     result.epsilon();
 *     trainer.classifier().predict("my card was charged twice");
 * }
 * }</pre>
 */
public final class TextClassifierTrainer implements AutoCloseable {

    static final String MODEL_CONFIG_FILE = "model_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DpSgdConfig config;
    private final int embeddingDim;
    private final int hiddenSize;
    private final int layers;
    private final boolean bidirectional;
    private final int maxLength;
    private final VocabularySource vocabulary;
    private final boolean sanitize;
    private final Path outputDirectory;
    private final List<TrainingListener> listeners;
    private final AuditSettings audit;
    private final NDManager manager;
    private TextClassifier classifier;

    private TextClassifierTrainer(Builder b) {
        config = b.config;
        embeddingDim = b.embeddingDim;
        hiddenSize = b.hiddenSize;
        layers = b.layers;
        bidirectional = b.bidirectional;
        maxLength = b.maxLength;
        vocabulary = b.vocabulary;
        sanitize = b.sanitize;
        outputDirectory = b.outputDirectory;
        listeners = List.copyOf(b.listeners);
        audit = b.audit;
        manager = NDManager.newBaseManager(b.device != null ? b.device : defaultDevice());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A GPU when the engine sees one, else the CPU. */
    public static Device defaultDevice() {
        return Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    public DpSgdConfig config() {
        return config;
    }

    /** Sanitizes, encodes, selects the vocabulary, plans the privacy budget and trains. */
    public TrainingResult fit(List<TextRecord> train, List<TextRecord> valid) {
        return train(prepare(train, valid));
    }

    /**
     * Every check and every decision made before training (bad input fails here, before anything
     * is written): labels, vocabulary (a DP vocabulary is selected now, its cost planned), σ.
     */
    public PreparedRun prepare(List<TextRecord> train, List<TextRecord> valid) {
        Objects.requireNonNull(train, "train");
        if (train.isEmpty()) {
            throw new IllegalArgumentException("training set must not be empty, had 0 records");
        }
        List<String> labels = TextEncoder.labelsOf(train);
        boolean userLevel = config.privacyUnit() == PrivacyUnit.USER;
        List<PrivacyCost> costs = new ArrayList<>();
        Vocabulary vocab = switch (vocabulary.kind()) {
            case HASH -> new HashingVocabulary(vocabulary.buckets());
            case FILE -> loadWordList(vocabulary.file());
            case DP -> {
                if (!config.isPrivate()) {
                    throw new IllegalArgumentException("vocab dp needs a private run (use hash or a file without privacy)");
                }
                // Selected from the SANITIZED text: placeholders, never raw PII, are what it may keep.
                TextEncoder cleaner = new TextEncoder(new HashingVocabulary(1), labels, maxLength, sanitize);
                List<TextRecord> cleaned = train.stream().map(r -> r.withText(cleaner.clean(r.text()))).toList();
                DpVocabulary selected = DpVocabularySelector.builder()
                        .noiseMultiplier(vocabulary.noiseMultiplier())
                        .optMaxTokensPerUser(vocabulary.maxTokensPerUser())
                        .thresholdDelta(config.delta() / 10)
                        .build()
                        .select(cleaned, new WordTokenizer(true));
                costs.add(new PrivacyCost("vocabulary", selected.events()));
                yield selected.vocabulary();
            }
        };
        TextEncoder encoder = new TextEncoder(vocab, labels, maxLength, sanitize);
        SanitizationReport sanitization = new SanitizationReport();
        EncodedDataset encodedTrain = encoder.encode(train, userLevel, sanitization);
        EncodedDataset encodedValid = valid == null || valid.isEmpty() ? null : encoder.encode(valid, false);
        PrivacyPlan plan = PrivacyPlanner.plan(config, encodedTrain.unitCount(config.privacyUnit()), costs);
        List<String> warnings = new ArrayList<>();
        if (config.isPrivate() && config.delta() >= 1.0 / plan.populationSize()) {
            warnings.add("delta " + config.delta() + " is not below 1/N = " + (1.0 / plan.populationSize())
                    + ": a mechanism may then reveal a whole record; choose delta well below 1/N");
        }
        ModelConfig modelConfig = ModelConfig.builder().vocabSize(vocab.size()).embeddingDim(embeddingDim)
                .hiddenSize(hiddenSize).numClasses(labels.size()).optLayers(layers).optBidirectional(bidirectional)
                .build();
        return new PreparedRun(encoder, encodedTrain, encodedValid, plan, modelConfig, sanitization, warnings);
    }

    private static Vocabulary loadWordList(Path file) {
        try {
            return WordListVocabulary.fromFile(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("vocab file cannot be read: " + file + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Trains a prepared run; with an output directory, writes checkpoints and the model there,
     * and with audit settings the audit log (run_start first, run_end after the model is saved)
     * and the ledger entry. A dataset budget the run would exceed is refused before anything is
     * written.
     */
    public TrainingResult train(PreparedRun run) {
        long seed = config.seed().orElseGet(() -> new SecureRandom().nextLong());
        try {
            if (audit != null) {
                AuditTrail.checkDatasetBudget(audit, run.plan());
            }
            LstmClassifier model = LstmClassifier.create(run.modelConfig(), manager, seed);
            if (outputDirectory != null) {
                Files.createDirectories(outputDirectory);
            }
            try (AuditTrail trail = audit == null ? null : AuditTrail.start(outputDirectory, audit, describe(run))) {
                if (outputDirectory != null) {
                    AtomicFiles.writeString(outputDirectory.resolve(MODEL_CONFIG_FILE),
                            JSON.writeValueAsString(run.modelConfig().toMap()));
                    run.encoder().save(outputDirectory);
                }
                TrainingResult result = newTrainer(model, trail).fit(run.train(), run.valid(), run.plan());
                finish(model, run.encoder(), result, trail);
                return result;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private RunDescription describe(PreparedRun run) {
        return new RunDescription(config, run.plan(), JSON.valueToTree(run.modelConfig().toMap()),
                run.encoder().sanitizationConfig(), run.sanitization().toJson(), vocabulary.id(),
                run.encoder().vocabulary().size());
    }

    /**
     * Continues the run checkpointed in {@code runDir} on the same data: the saved vocabulary and
     * labels, the model, optimizer and accountant state; fresh randomness; the spent budget kept.
     */
    @SuppressWarnings("unchecked")
    public TrainingResult resume(Path runDir, List<TextRecord> train, List<TextRecord> valid) throws IOException {
        TrainingCheckpoint checkpoint = TrainingCheckpoint.readFrom(runDir.resolve(CheckpointFile.FILE_NAME), manager);
        TextEncoder encoder = TextEncoder.load(runDir);
        ModelConfig modelConfig = ModelConfig.fromMap(
                JSON.readValue(runDir.resolve(MODEL_CONFIG_FILE).toFile(), Map.class));
        LstmClassifier model = LstmClassifier.create(modelConfig, manager, 0);
        boolean userLevel = checkpoint.plan().unit() == PrivacyUnit.USER;
        EncodedDataset encodedTrain = encoder.encode(train, userLevel);
        EncodedDataset encodedValid = valid == null || valid.isEmpty() ? null : encoder.encode(valid, false);
        try (AuditTrail trail = audit == null ? null : AuditTrail.resume(runDir, audit, checkpoint)) {
            TrainingResult result = newTrainer(model, trail).resume(checkpoint, encodedTrain, encodedValid);
            finish(model, encoder, result, trail);
            return result;
        }
    }

    private DpSgdTrainer newTrainer(LstmClassifier model, AuditTrail trail) {
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

    private void finish(LstmClassifier model, TextEncoder encoder, TrainingResult result, AuditTrail trail)
            throws IOException {
        classifier = new TextClassifier(manager, model, encoder, false);
        if (outputDirectory != null) {
            classifier.save(outputDirectory);
        }
        if (trail != null) {
            // run_end is the run's commit point: everything else it names is already on disk.
            trail.finish(result, outputDirectory.resolve(TextClassifier.MODEL_FILE));
        }
    }

    /** The trained classifier (after {@link #fit}, {@link #train} or {@link #resume}). */
    public TextClassifier classifier() {
        if (classifier == null) {
            throw new IllegalStateException("no classifier yet: call fit first");
        }
        return classifier;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Builder; {@link #config} is required, the model shape and vocabulary have defaults. */
    public static final class Builder {
        private DpSgdConfig config;
        private int embeddingDim = 16;
        private int hiddenSize = 32;
        private int layers = 1;
        private boolean bidirectional;
        private int maxLength = 64;
        private VocabularySource vocabulary = VocabularySource.hashing(4096);
        private boolean sanitize = true;
        private Path outputDirectory;
        private Device device;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private AuditSettings audit;

        private Builder() {}

        public Builder config(DpSgdConfig config) {
            this.config = config;
            return this;
        }

        public Builder optEmbeddingDim(int embeddingDim) {
            this.embeddingDim = embeddingDim;
            return this;
        }

        public Builder optHiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        public Builder optBidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return this;
        }

        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder optVocabulary(VocabularySource vocabulary) {
            this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
            return this;
        }

        /** Normalise and redact PII before tokenizing (default on). */
        public Builder optSanitize(boolean sanitize) {
            this.sanitize = sanitize;
            return this;
        }

        /** Where checkpoints, the model, encoder and vocabulary are written. */
        public Builder optOutputDirectory(Path dir) {
            this.outputDirectory = dir;
            return this;
        }

        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        public Builder optListener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Keep an audit trail: RUN_DIR/audit.jsonl (needs {@link #optOutputDirectory}) and, when the
         * settings name a ledger, a ledger entry per finished private run.
         */
        public Builder optAudit(AuditSettings audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        public TextClassifierTrainer build() {
            Objects.requireNonNull(config, "config");
            if (audit != null && outputDirectory == null) {
                throw new IllegalArgumentException("audit needs an output directory (for audit.jsonl), was none");
            }
            Checks.atLeast("embedding size", embeddingDim, 1);
            Checks.atLeast("hidden size", hiddenSize, 1);
            Checks.atLeast("layers", layers, 1);
            Checks.atLeast("max length", maxLength, 1);
            return new TextClassifierTrainer(this);
        }
    }
}
