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
import org.dplstm.training.model.LstmClassifier;
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
 * Trains a recurrent (LSTM or GRU) text classifier with DP-SGD from labelled text records: the library API the
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
public final class TextClassifierTrainer extends SessionTrainer<TextEncoder, LstmClassifier> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelShape shape;
    private final int maxLength;
    private final VocabularySource vocabulary;
    private final ClassifierTokenLevel tokenLevel;
    private final Path tokenizerFile;
    private final int charBuckets;
    private final boolean sanitize;
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

    private PreparedTextRun<TextEncoder> prepared(TextEncoder encoder, List<TextRecord> train, List<TextRecord> valid,
            List<PrivacyCost> costs, List<String> labels, String vocabularyId) {
        ModelConfig modelConfig = ModelConfig.builder().shape(shape).vocabSize(encoder.vocabularySize())
                .numClasses(labels.size()).build();
        ObjectNode encoding = JSON.createObjectNode().put("token_level", encoder.tokenLevel().id())
                .put("tokenizer", encoder.tokenizerId()).put("max_length", maxLength);
        return session.prepare(encoder, train, valid, costs, modelConfig, encoding, vocabularyId);
    }

    @Override
    protected TextEncoder loadEncoder(Path runDir) throws IOException {
        return TextEncoder.load(runDir);
    }

    @Override
    protected TrainingSession.Task<LstmClassifier> task(TextEncoder encoder) {
        return TrainingSession.Task.of(LstmClassifier::create, model -> {
            classifier = new TextClassifier(ManagedModel.borrowing(session.manager(), model), encoder);
            return classifier::save;
        });
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

        public TextClassifierTrainer build() {
            validate();
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
