package org.dplstm.training.seq2seq;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.WordListVocabulary;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.training.classifier.VocabularySource;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.PrivacyCost;
import org.dplstm.training.dpsgd.ValidationMetrics;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.languagemodel.LanguageModelTrainer;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.AttentionScore;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelShape;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.session.ManagedModel;
import org.dplstm.training.session.PreparedTextRun;
import org.dplstm.training.session.SessionTrainer;
import org.dplstm.training.session.TextModelTrainerBuilder;
import org.dplstm.training.session.TrainingSession;

/**
 * Trains an attentional LSTM encoder-decoder with DP-SGD on text pairs (translation, replies):
 * the library API behind {@code dplstm train --task seq2seq}. One pair is the privacy unit (or, at
 * user level, all of a user's pairs); its loss is the summed cross-entropy of the target tokens
 * given the source. Records carry the source as their text and the target as their label ({@link
 * ParallelTexts}). Each epoch end records validation loss and token accuracy (teacher forcing),
 * and corpus BLEU and chrF of greedy translations ({@link TranslationScores}).
 *
 * <pre>{@code
 * DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(8).optDelta(1e-5).optEpochs(10).build();
 * try (Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().config(config).build()) {
 *     TrainingResult result = trainer.fit(pairs, validPairs);
 *     trainer.translator().translate("Development files for libfoo", TranslationOptions.greedy());
 * }
 * }</pre>
 */
public final class Seq2SeqTrainer extends SessionTrainer<PairEncoder, LstmEncoderDecoder> {

    /** Defaults of a character-level translation model (chosen on the Debian corpus, README). */
    public static final int DEFAULT_EMBEDDING = 64;
    public static final int DEFAULT_HIDDEN = 128;
    public static final int DEFAULT_MAX_LENGTH = 100;
    /** Default epochs and expected batch size of {@code train --task seq2seq}. */
    public static final double DEFAULT_EPOCHS = 15;
    public static final double DEFAULT_BATCH_SIZE = 256;
    /** Default Adam learning rate of {@code train --task seq2seq} from random weights. */
    public static final double DEFAULT_LEARNING_RATE = 0.01;
    /**
     * Default Adam learning rate from the shipped public encoder-decoder: smaller steps keep more of
     * what pretraining learnt against the noise (README, "Translation and replies").
     */
    public static final double DEFAULT_PUBLIC_START_LEARNING_RATE = 0.003;

    /** The vocabulary method the audit log names for a character-level side. */
    static final String PUBLIC_CHARSET = "public_charset";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelShape shape;
    private final AttentionScore attention;
    private final int maxLength;
    private final TokenLevel sourceLevel;
    private final TokenLevel targetLevel;
    private final VocabularySource sourceVocabulary;
    private final VocabularySource targetVocabulary;
    private final boolean sanitize;
    private Translator translator;

    private Seq2SeqTrainer(Builder b) {
        super(b);
        shape = b.shape();
        attention = b.attention;
        maxLength = b.maxLength();
        sourceLevel = b.sourceLevel;
        targetLevel = b.targetLevel;
        sourceVocabulary = b.sourceVocabulary;
        targetVocabulary = b.targetVocabulary;
        sanitize = b.sanitize();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Half-width of the initial source embedding for a source at {@code sourceLevel}, the one place
     * that decides it (docs/ARCHITECTURE.md §3.10): {@link LstmEncoderDecoder#WORD_SOURCE_EMBEDDING_INIT}
     * for words, {@link LstmEncoderDecoder#CHARACTER_SOURCE_EMBEDDING_INIT} for characters.
     */
    public static double sourceEmbeddingInit(TokenLevel sourceLevel) {
        return switch (sourceLevel) {
            case WORD -> LstmEncoderDecoder.WORD_SOURCE_EMBEDDING_INIT;
            case CHAR -> LstmEncoderDecoder.CHARACTER_SOURCE_EMBEDDING_INIT;
        };
    }

    /**
     * Every check and every decision made before training (bad input fails here, before anything
     * is written): each side's vocabulary (DP selections now, their cost planned together), σ.
     */
    @Override
    public PreparedTextRun<PairEncoder> prepare(List<TextRecord> train, List<TextRecord> valid) {
        TrainingSession.requireTrainingData(train);
        session.checkPublicStartBeforeData(ModelTask.SEQ2SEQ,
                TrainingSession.pairTokenLevel(sourceLevel.id(), targetLevel.id()));
        List<PrivacyEvent> vocabularyEvents = new ArrayList<>();
        LanguageModelEncoder source = side(sourceLevel, sourceVocabulary, train, vocabularyEvents);
        List<TextRecord> targets = train.stream().map(r -> r.withText(Objects.requireNonNullElse(r.label(), ""))).toList();
        LanguageModelEncoder target = side(targetLevel, targetVocabulary, targets, vocabularyEvents);
        List<PrivacyCost> costs = vocabularyEvents.isEmpty() ? List.of()
                : List.of(new PrivacyCost("vocabulary", vocabularyEvents));
        PairEncoder encoder = PairEncoder.of(source, target, sanitize);
        // a shipped character model reads ids by the set it was trained on, on both sides: the same tokens, or no start
        // (checkPublicStartBeforeData has made sure it is an encoder-decoder of this run's token levels)
        if (session.publicEncoder() != null) {
            for (LanguageModelEncoder side : List.of(source, target)) {
                if (side.vocabulary() instanceof WordListVocabulary tokens) {
                    session.publicEncoder().checkVocabulary(tokens.tokens());
                }
            }
        }
        ModelConfig modelConfig = ModelConfig.builder().task(ModelTask.SEQ2SEQ).vocabSize(source.vocabSize())
                .optTargetVocabSize(target.vocabSize()).shape(shape).optAttention(attention).build();
        ObjectNode encoding = JSON.createObjectNode().put("source_token_level", sourceLevel.id())
                .put("target_token_level", targetLevel.id()).put("max_length", maxLength)
                .put("boundary", LanguageModelEncoder.BOUNDARY);
        String vocabularyId = "source " + vocabularyId(sourceLevel, sourceVocabulary) + ", target "
                + vocabularyId(targetLevel, targetVocabulary);
        return session.prepare(encoder, train, valid, costs, modelConfig, encoding, vocabularyId);
    }

    /** One side's encoder; a DP word selection adds its events to {@code vocabularyEvents}. */
    private LanguageModelEncoder side(TokenLevel level, VocabularySource vocabulary, List<TextRecord> texts,
            List<PrivacyEvent> vocabularyEvents) {
        if (level == TokenLevel.CHAR) {
            return PairEncoder.characterSide(maxLength, sanitize);
        }
        List<PrivacyCost> costs = new ArrayList<>();
        List<String> words = LanguageModelTrainer.selectWords(vocabulary, texts, maxLength, sanitize, session.config(),
                costs);
        costs.forEach(cost -> vocabularyEvents.addAll(cost.events()));
        return LanguageModelEncoder.words(words, maxLength, sanitize);
    }

    private static String vocabularyId(TokenLevel level, VocabularySource vocabulary) {
        return level == TokenLevel.CHAR ? PUBLIC_CHARSET : vocabulary.id();
    }

    @Override
    protected PairEncoder loadEncoder(Path runDir) throws IOException {
        return PairEncoder.load(runDir);
    }

    @Override
    protected TrainingSession.Task<LstmEncoderDecoder> task(PairEncoder encoder) {
        return new TrainingSession.Task<>() {
            @Override
            public LstmEncoderDecoder newModel(ModelConfig modelConfig, NDManager manager, long seed) {
                LstmEncoderDecoder model = LstmEncoderDecoder.create(modelConfig, manager, seed,
                        sourceEmbeddingInit(sourceLevel));
                translator = new Translator(ManagedModel.borrowing(session.manager(), model), encoder);
                return model;
            }

            @Override
            public TrainingSession.TrainedModel keep(LstmEncoderDecoder model) {
                return translator::save;
            }

            @Override
            public ValidationMetrics validationMetrics(LstmEncoderDecoder model) {
                return (EncodedDataset valid, NDManager scope) -> TranslationScores.of(translator, valid);
            }
        };
    }

    /** The trained model as a translator (after {@link #fit}, {@link #train} or {@link #resume}). */
    public Translator translator() {
        if (translator == null) {
            throw new IllegalStateException("no encoder-decoder yet: call fit first");
        }
        return translator;
    }

    /** Builder; {@link #config} is required, the model shape and tokens have defaults. */
    public static final class Builder extends TextModelTrainerBuilder<Builder> {
        private AttentionScore attention = AttentionScore.GENERAL;
        private TokenLevel sourceLevel = TokenLevel.CHAR;
        private TokenLevel targetLevel = TokenLevel.CHAR;
        private VocabularySource sourceVocabulary;
        private VocabularySource targetVocabulary;

        private Builder() {
            super(DEFAULT_EMBEDDING, DEFAULT_HIDDEN, DEFAULT_MAX_LENGTH);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** A reverse direction in every encoder layer (the decoder then has 2H units); default false. */
        public Builder optBidirectional(boolean bidirectional) {
            return optShape(shape().withBidirectional(bidirectional));
        }

        /** Luong's dot or general score; default general. */
        public Builder optAttention(AttentionScore attention) {
            this.attention = Objects.requireNonNull(attention, "attention");
            return this;
        }

        /** Output weight = target embedding (needs embedding size = the decoder's size); default false. */
        public Builder optTiedEmbedding(boolean tiedEmbedding) {
            return optShape(shape().withTiedEmbedding(tiedEmbedding));
        }

        /** Characters (default: the public set with Latin-1 letters) or words, for the source. */
        public Builder optSourceTokenLevel(TokenLevel level) {
            this.sourceLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /** Characters (default) or words, for the target. */
        public Builder optTargetTokenLevel(TokenLevel level) {
            this.targetLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /** Source at word level only: a public word-list file or DP selection (required for words). */
        public Builder optSourceVocabulary(VocabularySource vocabulary) {
            this.sourceVocabulary = vocabulary;
            return this;
        }

        /** Target at word level only: a public word-list file or DP selection (required for words). */
        public Builder optTargetVocabulary(VocabularySource vocabulary) {
            this.targetVocabulary = vocabulary;
            return this;
        }

        public Seq2SeqTrainer build() {
            validate();
            checkSide("source", sourceLevel, sourceVocabulary);
            checkSide("target", targetLevel, targetVocabulary);
            int decoderHidden = shape().hiddenSize() * shape().directions();
            if (shape().tiedEmbedding() && shape().embeddingDim() != decoderHidden) {
                throw new IllegalArgumentException("tied embedding needs embedding size = the decoder's size "
                        + decoderHidden + " (hidden size x directions), was " + shape().embeddingDim());
            }
            return new Seq2SeqTrainer(this);
        }

        private static void checkSide(String side, TokenLevel level, VocabularySource vocabulary) {
            if (level == TokenLevel.CHAR && vocabulary != null) {
                throw new IllegalArgumentException(side + " vocab must not be given at token level char"
                        + " (characters come from the fixed public character set), was " + vocabulary.id());
            }
            if (level == TokenLevel.WORD && (vocabulary == null || vocabulary.kind() == VocabularySource.Kind.HASH)) {
                throw new IllegalArgumentException(side + " vocab must be dp or a word-list file at token level word, was "
                        + (vocabulary == null ? "none" : vocabulary.id()));
            }
        }
    }
}
