package org.dplstm.training.classifier;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.DpVocabulary;
import org.dplstm.data.vocab.HashingVocabulary;
import org.dplstm.data.vocab.PublicCharacterVocabulary;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.PrivacyCost;
import ai.djl.ndarray.NDManager;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.ModelKind;
import org.dplstm.training.model.NgramLinearClassifier;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.ModelShape;
import org.dplstm.training.model.Pooling;
import org.dplstm.training.session.ManagedModel;
import org.dplstm.training.session.PreparedTextRun;
import org.dplstm.training.session.SessionTrainer;
import org.dplstm.training.session.TextModelTrainerBuilder;
import org.dplstm.training.session.TrainingSession;

/**
 * Trains a text classifier with DP-SGD, recurrent (LSTM or GRU) or linear over hashed character
 * n-grams ({@link Builder#optModel}), from labelled text records: the library API the
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
public final class TextClassifierTrainer extends SessionTrainer<TextEncoder, TextModel> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The n-gram model's hash buckets unless set: the size measured in the README. */
    public static final int DEFAULT_NGRAM_BUCKETS = 8192;

    private final ModelShape shape;
    private final int maxLength;
    private final VocabularySource vocabulary;
    private final ClassifierTokenLevel tokenLevel;
    private final Path tokenizerFile;
    private final int charBuckets;
    private final boolean sanitize;
    private final ModelKind model;
    private final int ngramBuckets;
    private final boolean ngramBias;
    private TextClassifier classifier;

    private TextClassifierTrainer(Builder b) {
        super(b);
        shape = b.shape();
        maxLength = b.maxLength();
        vocabulary = b.vocabulary;
        tokenLevel = b.tokenLevel;
        tokenizerFile = b.tokenizerFile;
        charBuckets = b.charBuckets;
        sanitize = b.sanitize();
        model = b.model;
        ngramBuckets = b.ngramBuckets;
        ngramBias = b.ngramBias;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A GPU when the engine sees one, else the CPU. */
    public static Device defaultDevice() {
        return TrainingSession.defaultDevice();
    }

    /**
     * Every check and every decision made before training (bad input fails here, before anything
     * is written): labels, vocabulary (a DP vocabulary is selected now, its cost planned), σ.
     */
    @Override
    public PreparedTextRun<TextEncoder> prepare(List<TextRecord> train, List<TextRecord> valid) {
        TrainingSession.requireTrainingData(train);
        session.checkPublicStartBeforeData(ModelTask.CLASSIFY, tokenLevel.id());
        DpSgdConfig config = session.config();
        List<String> labels = TextEncoder.labelsOf(train);
        List<PrivacyCost> costs = new ArrayList<>();
        if (model == ModelKind.NGRAM) {
            return prepareNgrams(train, valid, labels);
        }
        if (tokenLevel != ClassifierTokenLevel.WORD) {
            return prepareCharOrSubword(train, valid, labels);
        }
        Vocabulary vocab = switch (vocabulary.kind()) {
            case HASH -> new HashingVocabulary(vocabulary.buckets());
            case FILE -> vocabulary.wordList();
            case DP -> {
                if (!config.isPrivate()) {
                    throw new IllegalArgumentException("vocab dp needs a private run (use hash or a file without privacy)");
                }
                TextEncoder cleaner = new TextEncoder(new HashingVocabulary(1), labels, maxLength, sanitize);
                List<TextRecord> cleaned = train.stream().map(r -> r.withText(cleaner.clean(r.text()))).toList();
                DpVocabulary selected = vocabulary.selectPrivately(cleaned, cleaner.tokenizer(), config.delta());
                costs.add(new PrivacyCost("vocabulary", selected.events()));
                yield selected.vocabulary();
            }
        };
        TextEncoder encoder = new TextEncoder(vocab, labels, maxLength, sanitize);
        return prepared(encoder, train, valid, costs, labels, vocabulary.id());
    }

    /**
     * Characters (a public set and hashed buckets) or a public tokenizer's pieces: no vocabulary
     * is chosen from the data, so nothing is spent before DP-SGD.
     */
    private PreparedTextRun<TextEncoder> prepareCharOrSubword(List<TextRecord> train, List<TextRecord> valid,
            List<String> labels) {
        TextEncoder encoder = tokenLevel == ClassifierTokenLevel.CHAR
                ? new TextEncoder(tokenLevel, new PublicCharacterVocabulary(charBuckets), null, labels, maxLength, sanitize)
                : new TextEncoder(tokenLevel, null, SubwordTokenizer.load(tokenizerFile), labels, maxLength, sanitize);
        return prepared(encoder, train, valid, List.of(), labels,
                tokenLevel == ClassifierTokenLevel.CHAR ? "public_chars" : "tokenizer_file");
    }

    /**
     * Hashed character n-grams: a fixed hash, nothing chosen from the data, nothing spent before
     * DP-SGD; the model is one linear layer over their bag.
     */
    private PreparedTextRun<TextEncoder> prepareNgrams(List<TextRecord> train, List<TextRecord> valid,
            List<String> labels) {
        TextEncoder encoder = new TextEncoder(ClassifierTokenLevel.NGRAM, new HashingVocabulary(ngramBuckets), null,
                labels, maxLength, sanitize);
        ModelConfig modelConfig = ModelConfig.builder().optKind(ModelKind.NGRAM).vocabSize(encoder.vocabularySize())
                .numClasses(labels.size()).optNgramBias(ngramBias).build();
        return prepared(encoder, modelConfig, train, valid, List.of(), "hashed_ngrams");
    }

    private PreparedTextRun<TextEncoder> prepared(TextEncoder encoder, List<TextRecord> train, List<TextRecord> valid,
            List<PrivacyCost> costs, List<String> labels, String vocabularyId) {
        ModelConfig modelConfig = ModelConfig.builder().shape(shape).vocabSize(encoder.vocabularySize())
                .numClasses(labels.size()).build();
        return prepared(encoder, modelConfig, train, valid, costs, vocabularyId);
    }

    private PreparedTextRun<TextEncoder> prepared(TextEncoder encoder, ModelConfig modelConfig, List<TextRecord> train,
            List<TextRecord> valid, List<PrivacyCost> costs, String vocabularyId) {
        ObjectNode encoding = JSON.createObjectNode().put("token_level", encoder.tokenLevel().id())
                .put("tokenizer", encoder.tokenizerId()).put("max_length", maxLength);
        return session.prepare(encoder, train, valid, costs, modelConfig, encoding, vocabularyId);
    }

    @Override
    protected TextEncoder loadEncoder(Path runDir) throws IOException {
        return TextEncoder.load(runDir);
    }

    @Override
    protected TrainingSession.Task<TextModel> task(TextEncoder encoder) {
        return TrainingSession.Task.of(TextClassifierTrainer::newModel, model -> {
            classifier = new TextClassifier(ManagedModel.borrowing(session.manager(), model), encoder);
            return classifier::save;
        });
    }

    /** A new classifier of the config's kind: recurrent, or linear over n-grams. */
    private static TextModel newModel(ModelConfig config, NDManager manager, long seed) {
        return config.kind() == ModelKind.NGRAM ? NgramLinearClassifier.create(config, manager, seed)
                : LstmClassifier.create(config, manager, seed);
    }

    /** The trained classifier (after {@link #fit}, {@link #train} or {@link #resume}). */
    public TextClassifier classifier() {
        if (classifier == null) {
            throw new IllegalStateException("no classifier yet: call fit first");
        }
        return classifier;
    }

    /** Builder; {@link #config} is required, the model shape and vocabulary have defaults. */
    public static final class Builder extends TextModelTrainerBuilder<Builder> {
        private VocabularySource vocabulary = VocabularySource.hashing(4096);
        private ClassifierTokenLevel tokenLevel = ClassifierTokenLevel.WORD;
        private Path tokenizerFile;
        private int charBuckets = PublicCharacterVocabulary.DEFAULT_BUCKETS;
        private ModelKind model = ModelKind.RECURRENT;
        private int ngramBuckets = DEFAULT_NGRAM_BUCKETS;
        private boolean ngramBias;

        private Builder() {
            super(16, 32, 64);
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optBidirectional(boolean bidirectional) {
            return optShape(shape().withBidirectional(bidirectional));
        }

        /** How the classifier reads the top layer's states; default {@link Pooling#LAST}. */
        public Builder optPooling(Pooling pooling) {
            return optShape(shape().withPooling(Objects.requireNonNull(pooling, "pooling")));
        }

        public Builder optVocabulary(VocabularySource vocabulary) {
            this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
            return this;
        }

        /**
         * What a token is (default {@link ClassifierTokenLevel#WORD}); {@code optVocabulary}
         * applies to words only, {@link #optTokenizerFile} to subwords only.
         */
        public Builder optTokenLevel(ClassifierTokenLevel tokenLevel) {
            this.tokenLevel = Objects.requireNonNull(tokenLevel, "tokenLevel");
            return this;
        }

        /** The public tokenizer.json of token level subword. */
        public Builder optTokenizerFile(Path file) {
            this.tokenizerFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Hash buckets for characters outside the public set (token level char; default 2048). */
        public Builder optCharBuckets(int buckets) {
            this.charBuckets = buckets;
            return this;
        }

        /**
         * The network (default {@link ModelKind#RECURRENT}); {@link ModelKind#NGRAM} reads hashed
         * character n-grams (token level ngram), ignores the recurrent shape, and keeps the first
         * {@link TextEncoder#NGRAM_MAX_LENGTH} n-grams of a text unless {@code optMaxLength} is called
         * after this (64 tokens, the recurrent default, would be about 21 characters).
         */
        public Builder optModel(ModelKind model) {
            this.model = Objects.requireNonNull(model, "model");
            if (model == ModelKind.NGRAM) {
                optMaxLength(TextEncoder.NGRAM_MAX_LENGTH);
            }
            return this;
        }

        /** Hash buckets of the n-gram model's character n-grams (default 8,192). */
        public Builder optNgramBuckets(int buckets) {
            this.ngramBuckets = buckets;
            return this;
        }

        /**
         * Whether the n-gram model adds a bias to its logits (default false: measured better under
         * DP-SGD, whose clipped gradient the bias would share; README, "Accuracy at small ε").
         */
        public Builder optNgramBias(boolean bias) {
            this.ngramBias = bias;
            return this;
        }

        public TextClassifierTrainer build() {
            validate();
            if (model == ModelKind.NGRAM) {
                if (tokenLevel != ClassifierTokenLevel.WORD && tokenLevel != ClassifierTokenLevel.NGRAM
                        || tokenizerFile != null) {
                    throw new IllegalArgumentException("model ngram reads hashed character n-grams: no other token"
                            + " level or tokenizer file, token level was " + tokenLevel.id());
                }
                tokenLevel = ClassifierTokenLevel.NGRAM;
                org.dplstm.privacy.Checks.atLeast("n-gram hash buckets", ngramBuckets, 1);
            } else if (tokenLevel == ClassifierTokenLevel.NGRAM) {
                throw new IllegalArgumentException("token level ngram needs model ngram, was " + model.id());
            } else if (ngramBias) {
                throw new IllegalArgumentException("the n-gram bias choice needs model ngram, was " + model.id());
            }
            if ((tokenLevel == ClassifierTokenLevel.SUBWORD) != (tokenizerFile != null)) {
                throw new IllegalArgumentException(tokenLevel == ClassifierTokenLevel.SUBWORD
                        ? "token level subword needs a tokenizer file" : "a tokenizer file needs token level subword, was "
                        + tokenLevel.id());
            }
            org.dplstm.privacy.Checks.atLeast("character hash buckets", charBuckets, 1);
            return new TextClassifierTrainer(this);
        }
    }
}
