package org.dplstm.training.languagemodel;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.DpVocabulary;
import org.dplstm.data.vocab.DpVocabularySelector;
import org.dplstm.data.vocab.WordListVocabulary;
import org.dplstm.privacy.Checks;
import org.dplstm.training.checkpoint.AtomicFiles;
import org.dplstm.training.checkpoint.CheckpointFile;
import org.dplstm.training.classifier.TextClassifierTrainer;
import org.dplstm.training.classifier.VocabularySource;
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
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;

/**
 * Trains an LSTM language model with DP-SGD from plain text: the library API behind {@code
 * dplstm train --task lm}. One text is the privacy unit (or, at user level, all of a user's
 * texts); its loss is the summed next-token cross-entropy over its positions.
 *
 * <pre>{@code
 * DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(8).optDelta(1e-5).optEpochs(10).build();
 * try (LanguageModelTrainer trainer = LanguageModelTrainer.builder().config(config).build()) {
 *     TrainingResult result = trainer.fit(train, valid);
 *     Math.exp(result.validLoss());                       // validation perplexity per token
 *     trainer.generator().generate("The secret of", GenerationOptions.defaults());
 * }
 * }</pre>
 */
public final class LanguageModelTrainer implements AutoCloseable {

    static final String MODEL_CONFIG_FILE = "model_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DpSgdConfig config;
    private final int embeddingDim;
    private final int hiddenSize;
    private final int layers;
    private final boolean tiedEmbedding;
    private final int maxLength;
    private final TokenLevel tokenLevel;
    private final VocabularySource vocabulary;
    private final boolean sanitize;
    private final Path outputDirectory;
    private final List<TrainingListener> listeners;
    private final NDManager manager;
    private TextGenerator generator;

    private LanguageModelTrainer(Builder b) {
        config = b.config;
        embeddingDim = b.embeddingDim;
        hiddenSize = b.hiddenSize;
        layers = b.layers;
        tiedEmbedding = b.tiedEmbedding;
        maxLength = b.maxLength;
        tokenLevel = b.tokenLevel;
        vocabulary = b.vocabulary;
        sanitize = b.sanitize;
        outputDirectory = b.outputDirectory;
        listeners = List.copyOf(b.listeners);
        manager = NDManager.newBaseManager(b.device != null ? b.device : TextClassifierTrainer.defaultDevice());
    }

    public static Builder builder() {
        return new Builder();
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
     * is written): vocabulary (a DP vocabulary is selected now, its cost planned), σ.
     */
    public PreparedLanguageModelRun prepare(List<TextRecord> train, List<TextRecord> valid) {
        Objects.requireNonNull(train, "train");
        if (train.isEmpty()) {
            throw new IllegalArgumentException("training set must not be empty, had 0 records");
        }
        boolean userLevel = config.privacyUnit() == PrivacyUnit.USER;
        List<PrivacyCost> costs = new ArrayList<>();
        LanguageModelEncoder encoder = switch (tokenLevel) {
            case CHAR -> LanguageModelEncoder.characters(maxLength, sanitize);
            case WORD -> LanguageModelEncoder.words(selectWords(train, costs), maxLength, sanitize);
        };
        EncodedDataset encodedTrain = encoder.encode(train, userLevel);
        EncodedDataset encodedValid = valid == null || valid.isEmpty() ? null : encoder.encode(valid, false);
        PrivacyPlan plan = PrivacyPlanner.plan(config, encodedTrain.unitCount(config.privacyUnit()), costs);
        List<String> warnings = new ArrayList<>();
        if (config.isPrivate() && config.delta() >= 1.0 / plan.populationSize()) {
            warnings.add("delta " + config.delta() + " is not below 1/N = " + (1.0 / plan.populationSize())
                    + ": a mechanism may then reveal a whole record; choose delta well below 1/N");
        }
        ModelConfig modelConfig = ModelConfig.builder().task(ModelTask.LANGUAGE_MODEL).vocabSize(encoder.vocabSize())
                .embeddingDim(embeddingDim).hiddenSize(hiddenSize).optLayers(layers)
                .optTiedEmbedding(tiedEmbedding).build();
        return new PreparedLanguageModelRun(encoder, encodedTrain, encodedValid, plan, modelConfig, warnings);
    }

    /** A public word list, or a DP selection from the sanitized training text (its cost added). */
    private List<String> selectWords(List<TextRecord> train, List<PrivacyCost> costs) {
        switch (vocabulary.kind()) {
            case FILE -> {
                try {
                    return WordListVocabulary.fromFile(vocabulary.file()).tokens();
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            "vocab file cannot be read: " + vocabulary.file() + " (" + e.getMessage() + ")", e);
                }
            }
            case DP -> {
                if (!config.isPrivate()) {
                    throw new IllegalArgumentException("vocab dp needs a private run (use a word-list file without privacy)");
                }
                // Selected from the SANITIZED text: placeholders, never raw PII, are what it may keep.
                LanguageModelEncoder cleaner = LanguageModelEncoder.words(List.of(), maxLength, sanitize);
                List<TextRecord> cleaned = train.stream().map(r -> r.withText(cleaner.clean(r.text()))).toList();
                DpVocabulary selected = DpVocabularySelector.builder()
                        .noiseMultiplier(vocabulary.noiseMultiplier())
                        .optMaxTokensPerUser(vocabulary.maxTokensPerUser())
                        .thresholdDelta(config.delta() / 10)
                        .build()
                        .select(cleaned, cleaner.tokenizer());
                costs.add(new PrivacyCost("vocabulary", selected.events()));
                return selected.vocabulary().tokens();
            }
            default -> throw new IllegalArgumentException("vocab must be dp or a word-list file for word-level"
                    + " language models (hashed ids cannot be turned back into words), was " + vocabulary.id());
        }
    }

    /** Trains a prepared run; with an output directory, writes checkpoints and the model there. */
    public TrainingResult train(PreparedLanguageModelRun run) {
        long seed = config.seed().orElseGet(() -> new SecureRandom().nextLong());
        LstmLanguageModel model = LstmLanguageModel.create(run.modelConfig(), manager, seed);
        try {
            if (outputDirectory != null) {
                Files.createDirectories(outputDirectory);
                AtomicFiles.writeString(outputDirectory.resolve(MODEL_CONFIG_FILE),
                        JSON.writeValueAsString(run.modelConfig().toMap()));
                run.encoder().save(outputDirectory);
            }
            TrainingResult result = newTrainer(model).fit(run.train(), run.valid(), run.plan());
            finish(model, run.encoder());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Continues the run checkpointed in {@code runDir} on the same texts: the saved vocabulary,
     * model, optimizer and accountant state; fresh randomness; the spent budget kept.
     */
    @SuppressWarnings("unchecked")
    public TrainingResult resume(Path runDir, List<TextRecord> train, List<TextRecord> valid) throws IOException {
        TrainingCheckpoint checkpoint = TrainingCheckpoint.readFrom(runDir.resolve(CheckpointFile.FILE_NAME), manager);
        LanguageModelEncoder encoder = LanguageModelEncoder.load(runDir);
        ModelConfig modelConfig = ModelConfig.fromMap(
                JSON.readValue(runDir.resolve(MODEL_CONFIG_FILE).toFile(), Map.class));
        LstmLanguageModel model = LstmLanguageModel.create(modelConfig, manager, 0);
        boolean userLevel = checkpoint.plan().unit() == PrivacyUnit.USER;
        EncodedDataset encodedTrain = encoder.encode(train, userLevel);
        EncodedDataset encodedValid = valid == null || valid.isEmpty() ? null : encoder.encode(valid, false);
        TrainingResult result = newTrainer(model).resume(checkpoint, encodedTrain, encodedValid);
        finish(model, encoder);
        return result;
    }

    private DpSgdTrainer newTrainer(LstmLanguageModel model) {
        DpSgdTrainer.Builder builder = DpSgdTrainer.builder().config(config).model(model);
        listeners.forEach(builder::optListener);
        if (outputDirectory != null) {
            builder.optCheckpointFile(outputDirectory.resolve(CheckpointFile.FILE_NAME));
        }
        return builder.build();
    }

    private void finish(LstmLanguageModel model, LanguageModelEncoder encoder) throws IOException {
        generator = new TextGenerator(manager, model, encoder, false);
        if (outputDirectory != null) {
            generator.save(outputDirectory);
        }
    }

    /** The trained model as a generator (after {@link #fit}, {@link #train} or {@link #resume}). */
    public TextGenerator generator() {
        if (generator == null) {
            throw new IllegalStateException("no language model yet: call fit first");
        }
        return generator;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Builder; {@link #config} is required, the model shape and tokens have defaults. */
    public static final class Builder {
        private DpSgdConfig config;
        private int embeddingDim = 64;
        private int hiddenSize = 128;
        private int layers = 1;
        private boolean tiedEmbedding;
        private int maxLength = 200;
        private TokenLevel tokenLevel = TokenLevel.CHAR;
        private VocabularySource vocabulary;
        private boolean sanitize = true;
        private Path outputDirectory;
        private Device device;
        private final List<TrainingListener> listeners = new ArrayList<>();

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

        /** Output weight = embedding table (needs embedding size = hidden size); default false. */
        public Builder optTiedEmbedding(boolean tiedEmbedding) {
            this.tiedEmbedding = tiedEmbedding;
            return this;
        }

        /** Tokens kept per text (default 200: whole sentences at character level). */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** Characters (default: a fixed public character set) or words. */
        public Builder optTokenLevel(TokenLevel tokenLevel) {
            this.tokenLevel = Objects.requireNonNull(tokenLevel, "tokenLevel");
            return this;
        }

        /** Word level only: a public word-list file or DP selection (required for words). */
        public Builder optVocabulary(VocabularySource vocabulary) {
            this.vocabulary = vocabulary;
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

        public LanguageModelTrainer build() {
            Objects.requireNonNull(config, "config");
            Checks.atLeast("embedding size", embeddingDim, 1);
            Checks.atLeast("hidden size", hiddenSize, 1);
            Checks.atLeast("layers", layers, 1);
            Checks.atLeast("max length", maxLength, 1);
            if (tokenLevel == TokenLevel.CHAR && vocabulary != null) {
                throw new IllegalArgumentException("vocab must not be given at token level char"
                        + " (characters come from the fixed public character set), was " + vocabulary.id());
            }
            if (tokenLevel == TokenLevel.WORD && vocabulary == null) {
                throw new IllegalArgumentException("vocab must be dp or a word-list file at token level word, was none");
            }
            if (tiedEmbedding && embeddingDim != hiddenSize) {
                throw new IllegalArgumentException("tied embedding needs embedding size = hidden size, was "
                        + embeddingDim + " and " + hiddenSize);
            }
            return new LanguageModelTrainer(this);
        }
    }
}
