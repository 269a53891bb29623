package org.dplstm.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.audit.run.RunDirectoryAccess;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.io.ParquetInput;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextFolderReader;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.classifier.ClassifierTokenLevel;
import org.dplstm.training.classifier.LabeledTexts;
import org.dplstm.training.classifier.TextClassifierTrainer;
import org.dplstm.training.classifier.TextEncoder;
import org.dplstm.training.classifier.VocabularySource;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.dpsgd.TechniqueSettings;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.languagemodel.LanguageModelTrainer;
import org.dplstm.training.languagemodel.PlainTexts;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.AttentionScore;
import org.dplstm.training.model.ModelKind;
import org.dplstm.training.model.ModelShape;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.Pooling;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.seq2seq.PairEncoder;
import org.dplstm.training.seq2seq.ParallelTexts;
import org.dplstm.training.seq2seq.Seq2SeqTrainer;
import org.dplstm.training.session.PreparedTextRun;
import org.dplstm.training.session.RunEncoder;
import org.dplstm.training.session.TextModelTrainer;
import org.dplstm.training.session.TextModelTrainerBuilder;

/**
 * What {@code train} and {@code demo} share: everything resolved from the command line (saved as
 * RUN_DIR/run.json so {@code --resume} can rebuild it), and the run itself: prepare (every check,
 * the calibration), only then create the run directory, train, write report.json.
 */
final class TrainingJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the data is, and which fields hold a record's text, label and user. */
    record Inputs(Path train, Path valid, String textField, String labelField, String userField) {}

    /**
     * How text becomes token ids: the tokens kept per text, the word vocabulary ({@code hash},
     * {@code dp} or a word-list path; null for characters) with its hash buckets, sanitization, and
     * a language model's token level (null for a classifier, whose level is its technique's).
     */
    record TextSettings(int maxLength, String vocab, int vocabSize, boolean sanitize, TokenLevel tokenLevel) {}

    /** The recurrent shape an n-gram run's settings carry unused (ClassifierDefaults' sizes). */
    static final ModelShape NGRAM_PLACEHOLDER_SHAPE = new ModelShape(CellKind.LSTM, ClassifierDefaults.EMBEDDING,
            ClassifierDefaults.HIDDEN, 1, false, Pooling.LAST, false);

    /**
     * The command line's resolved settings, composed of the records that declare them: the
     * inputs, the task, the model's {@link ModelShape}, the text encoding, the DP-SGD
     * configuration, the device, a warm start, a classifier's techniques and an encoder-decoder's
     * pair settings (null for the other tasks).
     */
    record Settings(Inputs inputs, ModelTask task, ModelShape shape, TextSettings text, DpSgdConfig config,
            String device, Path init, Techniques techniques, PairSettings pairs) {

        Path train() {
            return inputs.train();
        }

        Path valid() {
            return inputs.valid();
        }

        TokenLevel tokenLevel() {
            return text.tokenLevel();
        }

        Settings withDevice(String newDevice) {
            return new Settings(inputs, task, shape, text, config, newDevice, init, techniques, pairs);
        }

        boolean languageModel() {
            return task == ModelTask.LANGUAGE_MODEL;
        }

        /** Whether the model is the linear classifier over hashed character n-grams ({@code --model ngram}). */
        boolean ngramModel() {
            return techniques != null && techniques.tokenLevel() == ClassifierTokenLevel.NGRAM;
        }

        boolean encoderDecoder() {
            return task == ModelTask.SEQ2SEQ;
        }

        /** Whether validation loss is per predicted token (a language model's or an encoder-decoder's): perplexity. */
        boolean perTokenLoss() {
            return task != ModelTask.CLASSIFY;
        }

        /**
         * The stored layout of run.json, older than the records: its keys and their order are
         * kept (RunSettingsCompatibilityTest), so runs written before still resume.
         */
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("train", inputs.train() == null ? null : inputs.train().toAbsolutePath().toString());
            map.put("valid", inputs.valid() == null ? null : inputs.valid().toAbsolutePath().toString());
            map.put("text_field", inputs.textField());
            map.put("label_field", inputs.labelField());
            map.put("user_field", inputs.userField());
            // an n-gram run has no recurrent shape or word vocabulary: its record leaves them out
            // rather than name sizes it did not use (its model config holds what it has)
            boolean recurrent = !ngramModel();
            if (recurrent) {
                map.put("cell", shape.cell().id());
                map.put("embedding", shape.embeddingDim());
                map.put("hidden", shape.hiddenSize());
                map.put("layers", shape.layers());
                map.put("bidirectional", shape.bidirectional());
                map.put("pooling", shape.pooling().toString());
            }
            map.put("max_length", text.maxLength());
            if (recurrent) {
                map.put("vocab", text.vocab());
                map.put("vocab_size", text.vocabSize());
            }
            map.put("sanitize", text.sanitize());
            map.put("device", device);
            map.put("task", task.id());
            map.put("token_level", text.tokenLevel() == null ? null : text.tokenLevel().id());
            if (recurrent) {
                map.put("tied_embedding", shape.tiedEmbedding());
            }
            map.put("init", init == null ? null : init.toAbsolutePath().toString());
            if (task == ModelTask.CLASSIFY) {
                techniques.putInto(map);
            } else if (techniques.publicEncoder() != null) {
                // only when set: runs written before language models and encoder-decoders had a shipped start keep their bytes
                map.put("public_encoder", techniques.publicEncoder());
            }
            if (pairs != null) {
                map.put("seq2seq", pairs.toMap());
            }
            map.put("dp_sgd", config.toMap());
            return map;
        }

        @SuppressWarnings("unchecked")
        static Settings fromMap(Map<String, Object> map) {
            ModelTask task = map.get("task") == null ? ModelTask.CLASSIFY : ModelTask.parse((String) map.get("task"));
            Inputs inputs = new Inputs(path(map.get("train")), path(map.get("valid")), (String) map.get("text_field"),
                    (String) map.get("label_field"), (String) map.get("user_field"));
            // n-gram runs since 2026-12-08 record no recurrent shape or word vocabulary (unused by
            // their model); the placeholders are what such a run held in memory before
            boolean unshaped = !map.containsKey("embedding") && ModelKind.NGRAM.id().equals(map.get("model"));
            ModelShape shape = unshaped ? NGRAM_PLACEHOLDER_SHAPE : new ModelShape(
                    // runs written before the cell was a choice are LSTMs
                    map.get("cell") == null ? CellKind.LSTM : CellKind.parse((String) map.get("cell")),
                    (Integer) map.get("embedding"), (Integer) map.get("hidden"), (Integer) map.get("layers"),
                    (Boolean) map.get("bidirectional"),
                    // runs written before pooling was a choice read the last state
                    map.get("pooling") == null ? Pooling.LAST : Pooling.parse((String) map.get("pooling")),
                    Boolean.TRUE.equals(map.get("tied_embedding")));
            TextSettings text = new TextSettings((Integer) map.get("max_length"),
                    unshaped ? "hash" : (String) map.get("vocab"),
                    unshaped ? TrainingOptions.DEFAULT_VOCAB_SIZE : (Integer) map.get("vocab_size"),
                    (Boolean) map.get("sanitize"),
                    // a classifier's token_level is its technique's (Techniques), not a language model's level
                    map.get("token_level") == null || task != ModelTask.LANGUAGE_MODEL ? null
                            : TokenLevel.parse((String) map.get("token_level")));
            return new Settings(inputs, task, shape, text, DpSgdConfig.fromMap((Map<String, ?>) map.get("dp_sgd")),
                    (String) map.get("device"), path(map.get("init")),
                    Techniques.fromMap(map, task),
                    map.get("seq2seq") == null ? null : PairSettings.fromMap((Map<String, Object>) map.get("seq2seq")));
        }

        /**
         * The settings as the audit log's run_start records them: with a warm start, also the
         * SHA-256 of the weights the run starts from, hashed once here (run.json keeps the path;
         * the run itself is checked in prepare); with public preconditioning, its text's SHA-256.
         */
        Map<String, Object> toAuditMap() throws IOException {
            Map<String, Object> map = toMap();
            Path model = init == null ? null : RunFiles.of(init).model();
            map.put("init_model_sha256", model != null && Files.isRegularFile(model)
                    ? DatasetFingerprint.sha256Of(model) : null);
            techniques.putAuditInto(map);
            // public preconditioning's text, pinned as the shipped weights are
            config.precondition().ifPresent(source -> map.put("public_text_sha256",
                    PublicEncoder.named(TechniqueSettings.publicModelOf(source)).publicTextSha256()));
            return map;
        }

        private static Path path(Object value) {
            return value == null ? null : Path.of((String) value);
        }

        TextClassifierTrainer.Builder trainerBuilder() {
            // the techniques first: choosing the n-gram model sets its own default length, which --max-length overrides
            TextClassifierTrainer.Builder builder = techniques.applyTo(TextClassifierTrainer.builder().config(config))
                    .optShape(shape).optMaxLength(text.maxLength())
                    .optVocabulary(VocabularySource.parse(text.vocab(), text.vocabSize())).optSanitize(text.sanitize())
                    .optDevice(resolveDevice(device));
            return init == null ? builder : builder.optInitialRun(init);
        }

        LanguageModelTrainer.Builder languageModelTrainerBuilder() {
            LanguageModelTrainer.Builder builder = LanguageModelTrainer.builder().config(config)
                    .optShape(shape).optMaxLength(text.maxLength()).optTokenLevel(text.tokenLevel())
                    .optVocabulary(text.vocab() == null ? null : VocabularySource.parse(text.vocab(), text.vocabSize()))
                    .optSanitize(text.sanitize()).optDevice(resolveDevice(device));
            techniques.applyPublicStart(builder);
            return init == null ? builder : builder.optInitialRun(init);
        }

        Seq2SeqTrainer.Builder seq2SeqTrainerBuilder() {
            Seq2SeqTrainer.Builder builder = Seq2SeqTrainer.builder().config(config)
                    .optShape(shape).optMaxLength(text.maxLength())
                    .optAttention(AttentionScore.parse(pairs.attention()))
                    .optSourceTokenLevel(pairs.sourceTokenLevel()).optTargetTokenLevel(pairs.targetTokenLevel())
                    .optSourceVocabulary(pairs.sourceVocab() == null ? null : VocabularySource.parse(pairs.sourceVocab(), 1))
                    .optTargetVocabulary(pairs.targetVocab() == null ? null : VocabularySource.parse(pairs.targetVocab(), 1))
                    .optSanitize(text.sanitize()).optDevice(resolveDevice(device));
            techniques.applyPublicStart(builder);
            return init == null ? builder : builder.optInitialRun(init);
        }

        /**
         * Reads a data file: labelled records for a classifier; for a language model plain text
         * (one document a line, or a folder) or CSV/JSONL with a text field; for an encoder-decoder
         * pairs with a source and a target field.
         */
        List<TextRecord> read(Path file) throws IOException {
            List<TextRecord> records;
            if (encoderDecoder()) {
                records = ParallelTexts.read(file, pairs.sourceField(), pairs.targetField(), inputs.userField());
            } else {
                records = languageModel() ? PlainTexts.read(file, readOptions()) : LabeledTexts.read(file, readOptions());
            }
            if (records.isEmpty()) {
                // named here: the trainers' own check cannot say which file was empty
                throw new IllegalArgumentException(file + " holds no records (nothing but a header or blank lines)");
            }
            return records;
        }

        /** The text, user and (for a classifier) label fields the data is read with. */
        ReadOptions readOptions() {
            ReadOptions.Builder options = ReadOptions.builder().optTextField(inputs.textField())
                    .optUserField(inputs.userField());
            return languageModel() ? options.build() : options.optLabelField(inputs.labelField()).build();
        }
    }

    /**
     * An encoder-decoder's own settings: where a record's source and target are, each side's token
     * level and word vocabulary ({@code hash} is never one: ids must turn back into words), the
     * attention score.
     */
    record PairSettings(String sourceField, String targetField, TokenLevel sourceTokenLevel,
            TokenLevel targetTokenLevel, String sourceVocab, String targetVocab, String attention) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("source_field", sourceField);
            map.put("target_field", targetField);
            map.put("source_token_level", sourceTokenLevel.id());
            map.put("target_token_level", targetTokenLevel.id());
            map.put("source_vocab", sourceVocab);
            map.put("target_vocab", targetVocab);
            map.put("attention", attention);
            return map;
        }

        static PairSettings fromMap(Map<String, Object> map) {
            return new PairSettings((String) map.get("source_field"), (String) map.get("target_field"),
                    TokenLevel.parse((String) map.get("source_token_level")),
                    TokenLevel.parse((String) map.get("target_token_level")), (String) map.get("source_vocab"),
                    (String) map.get("target_vocab"), (String) map.get("attention"));
        }
    }

    private TrainingJob() {}

    /** {@code cpu}, {@code gpu}, or null = a GPU when the engine sees one, else the CPU. */
    static Device resolveDevice(String name) {
        if (name == null) {
            return TextClassifierTrainer.defaultDevice();
        }
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new IllegalArgumentException("device gpu requested, but the engine sees no GPU"
                            + " (see the README: PYTORCH_LIBRARY_PATH with a CUDA libtorch)");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("device must be one of cpu|gpu, was " + name);
        };
    }

    /** Where the audit trail goes: the key, the ledger and the dataset budget of the command line. */
    record AuditOptions(Path keyFile, Path ledgerFile, Double datasetBudget) {

        AuditSettings settingsFor(String datasetFingerprint, Settings settings) throws IOException {
            AuditSettings.Builder audit = AuditSettings.builder().datasetFingerprint(datasetFingerprint)
                    .optKey(KeyFiles.resolve(keyFile))
                    .optLedger(Ledger.resolve(Optional.ofNullable(ledgerFile)))
                    .optCodeVersion(VersionProvider.version())
                    .optRunConfig(JSON.valueToTree(settings.toAuditMap()));
            if (datasetBudget != null) {
                audit.optDatasetBudget(datasetBudget);
            }
            return audit.build();
        }
    }

    /**
     * The dataset fingerprint of a file-based run: its raw training file before sanitization, or the
     * files of a folder (Parquet part files, or a language model's text files) in the order they are read.
     */
    static String fingerprintOf(Path trainFile) throws IOException {
        if (ParquetInput.isParquet(trainFile)) {
            // a folder of part files: every file Spark reads, in ParquetInput's defined order
            return DatasetFingerprint.of(ParquetInput.dataFiles(trainFile));
        }
        if (Files.isDirectory(trainFile)) {
            // a language model's folder of text files: every file it reads, in its reading order
            List<Path> files = TextFolderReader.files(trainFile, TextFolderReader.Layout.LINE_PER_DOCUMENT);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--train folder " + trainFile + " holds no text files");
            }
            return DatasetFingerprint.of(files);
        }
        return DatasetFingerprint.of(List.of(trainFile));
    }

    /** Runs a new training job; returns the result after report.json, the model and run_end are written. */
    static TrainingResult run(Settings settings, List<TextRecord> train, List<TextRecord> valid, Path out,
            PrintStream console, AuditSettings audit) throws IOException {
        return run(settings, train, valid, out, console, audit, BeforeWriting.NONE, null);
    }

    /** As {@link #run(Settings, List, List, Path, PrintStream, AuditSettings)}, each step's sum computed by {@code stepSums}. */
    static TrainingResult run(Settings settings, List<TextRecord> train, List<TextRecord> valid, Path out,
            PrintStream console, AuditSettings audit, StepSums.Factory stepSums) throws IOException {
        return run(settings, train, valid, out, console, audit, BeforeWriting.NONE, stepSums);
    }

    /**
     * A caller's own check of the prepared run (e.g. the privacy audit's), run after every other
     * check and before anything is written: one for each kind of model.
     */
    record BeforeWriting(Consumer<PreparedTextRun<TextEncoder>> classifier,
            Consumer<PreparedTextRun<LanguageModelEncoder>> languageModel,
            Consumer<PreparedTextRun<PairEncoder>> encoderDecoder) {
        static final BeforeWriting NONE = new BeforeWriting(run -> { }, run -> { }, run -> { });

        /** Checks for a classifier and a language model only. */
        BeforeWriting(Consumer<PreparedTextRun<TextEncoder>> classifier,
                Consumer<PreparedTextRun<LanguageModelEncoder>> languageModel) {
            this(classifier, languageModel, run -> { });
        }
    }

    /**
     * As {@link #run(Settings, List, List, Path, PrintStream, AuditSettings)}, with a caller's own
     * check of the prepared run before anything is written.
     */
    static TrainingResult run(Settings settings, List<TextRecord> train, List<TextRecord> valid, Path out,
            PrintStream console, AuditSettings audit, BeforeWriting checkBeforeWriting) throws IOException {
        return run(settings, train, valid, out, console, audit, checkBeforeWriting, null);
    }

    private static TrainingResult run(Settings settings, List<TextRecord> train, List<TextRecord> valid, Path out,
            PrintStream console, AuditSettings audit, BeforeWriting checkBeforeWriting, StepSums.Factory stepSums)
            throws IOException {
        RunDirectory.checkUsable(out);
        ReportFileListener report = new ReportFileListener(out, settings.toMap(), settings.perTokenLoss());
        String settingsJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settings.toMap());
        if (settings.encoderDecoder()) {
            try (Seq2SeqTrainer trainer = computedBy(settings.seq2SeqTrainerBuilder(), stepSums).optOutputDirectory(out)
                    .optSettingsFile(settingsJson).optListener(new ConsoleProgress(console, true)).optListener(report)
                    .optAudit(audit).build()) {
                return run(trainer, settings, train, valid, out, console, audit, report,
                        checkBeforeWriting.encoderDecoder());
            }
        }
        if (settings.languageModel()) {
            try (LanguageModelTrainer trainer = computedBy(settings.languageModelTrainerBuilder(), stepSums)
                    .optOutputDirectory(out).optSettingsFile(settingsJson)
                    .optListener(new ConsoleProgress(console, settings.languageModel())).optListener(report).optAudit(audit).build()) {
                return run(trainer, settings, train, valid, out, console, audit, report,
                        checkBeforeWriting.languageModel());
            }
        }
        try (TextClassifierTrainer trainer = computedBy(settings.trainerBuilder(), stepSums).optOutputDirectory(out)
                .optSettingsFile(settingsJson)
                .optListener(new ConsoleProgress(console, settings.languageModel())).optListener(report).optAudit(audit).build()) {
            return run(trainer, settings, train, valid, out, console, audit, report, checkBeforeWriting.classifier());
        }
    }

    /** Prepare (every check), then train: the session claims the run directory before it writes. */
    private static <E extends RunEncoder> TrainingResult run(TextModelTrainer<E> trainer, Settings settings,
            List<TextRecord> train, List<TextRecord> valid, Path out, PrintStream console, AuditSettings audit,
            ReportFileListener report, Consumer<PreparedTextRun<E>> checkBeforeWriting) throws IOException {
        PreparedTextRun<E> run = trainer.prepare(train, valid);
        checkBeforeWriting.accept(run);
        run.warnings().forEach(w -> console.println("warning: " + w));
        settings.techniques().notes().forEach(n -> console.println("note: " + n));
        if (run.plan().isPrivate()) {
            console.printf(java.util.Locale.ROOT,
                    "plan: %d steps, sample rate %.5f, noise multiplier %.4f (%s accountant)%n",
                    run.plan().plannedSteps(), run.plan().sampleRate(), run.plan().noiseMultiplier(),
                    run.plan().accountant().id());
            if (run.plan().tuning() != null) {
                var trials = run.plan().tuning().trials();
                console.printf(java.util.Locale.ROOT,
                        "tuning: a random number of trials, %.3g on average (truncated negative binomial, eta %s,"
                                + " gamma %.6g); each trial above, the whole search within the epsilon target (RDP)%n",
                        trials.mean(), trials.eta(), trials.gamma());
            }
        }
        report.describe(run.modelConfig().toMap());
        return trainer.train(run);
    }

    /** Continues the run in {@code runDir} from its checkpoint and its audit log; rewrites report.json. */
    @SuppressWarnings("unchecked")
    static TrainingResult resume(Path runDir, List<TextRecord> train, List<TextRecord> valid, Settings settings,
            PrintStream console, AuditSettings audit) throws IOException {
        return resume(runDir, train, valid, settings, console, audit, null);
    }

    /** As {@link #resume(Path, List, List, Settings, PrintStream, AuditSettings)}, each step's sum computed by {@code stepSums}. */
    static TrainingResult resume(Path runDir, List<TextRecord> train, List<TextRecord> valid, Settings settings,
            PrintStream console, AuditSettings audit, StepSums.Factory stepSums) throws IOException {
        ReportFileListener report = new ReportFileListener(runDir, settings.toMap(), settings.perTokenLoss());
        report.describe(JSON.readValue(RunFiles.of(runDir).modelConfig().toFile(), Map.class));
        if (settings.encoderDecoder()) {
            try (Seq2SeqTrainer trainer = computedBy(settings.seq2SeqTrainerBuilder(), stepSums).optOutputDirectory(runDir)
                    .optListener(new ConsoleProgress(console, true)).optListener(report).optAudit(audit).build()) {
                return trainer.resume(runDir, train, valid);
            }
        }
        try (TextModelTrainer<?> trainer = settings.languageModel()
                ? computedBy(settings.languageModelTrainerBuilder(), stepSums).optOutputDirectory(runDir)
                        .optListener(new ConsoleProgress(console, settings.languageModel())).optListener(report).optAudit(audit).build()
                : computedBy(settings.trainerBuilder(), stepSums).optOutputDirectory(runDir)
                        .optListener(new ConsoleProgress(console, settings.languageModel())).optListener(report).optAudit(audit).build()) {
            return trainer.resume(runDir, train, valid);
        }
    }

    /** The builder with each private step's sum computed by {@code stepSums} (null: in this process). */
    private static <B extends TextModelTrainerBuilder<B>> B computedBy(B builder, StepSums.Factory stepSums) {
        return stepSums == null ? builder : builder.optStepSums(stepSums);
    }

    @SuppressWarnings("unchecked")
    static Settings loadSettings(Path runDir) throws IOException {
        RunDirectoryAccess.requireReachable(runDir);
        RunFiles files = RunFiles.of(runDir);
        Path file = files.settings();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--resume must name a run directory with " + RunFiles.SETTINGS
                    + ", was " + runDir);
        }
        return Settings.fromMap(JSON.readValue(file.toFile(), Map.class));
    }
}
