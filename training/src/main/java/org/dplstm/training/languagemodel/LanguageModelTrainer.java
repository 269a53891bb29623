package org.dplstm.training.languagemodel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.DpVocabulary;
import org.dplstm.data.vocab.WordListVocabulary;
import org.dplstm.training.classifier.VocabularySource;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.PrivacyCost;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelShape;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.session.ManagedModel;
import org.dplstm.training.session.PreparedTextRun;
import org.dplstm.training.session.SessionTrainer;
import org.dplstm.training.session.TextModelTrainerBuilder;
import org.dplstm.training.session.TrainingSession;

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
public final class LanguageModelTrainer extends SessionTrainer<LanguageModelEncoder, LstmLanguageModel> {

    /** The vocabulary method the audit log names for the fixed public character set. */
    static final String PUBLIC_CHARSET = "public_charset";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelShape shape;
    private final int maxLength;
    private final TokenLevel tokenLevel;
    private final VocabularySource vocabulary;
    private final boolean sanitize;
    private TextGenerator generator;

    private LanguageModelTrainer(Builder b) {
        super(b);
        shape = b.shape();
        maxLength = b.maxLength();
        tokenLevel = b.tokenLevel;
        vocabulary = b.vocabulary;
        sanitize = b.sanitize();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Every check and every decision made before training (bad input fails here, before anything
     * is written): vocabulary (a DP vocabulary is selected now, its cost planned), σ.
     */
    @Override
    public PreparedTextRun<LanguageModelEncoder> prepare(List<TextRecord> train, List<TextRecord> valid) {
        TrainingSession.requireTrainingData(train);
        session.checkPublicStartBeforeData(ModelTask.LANGUAGE_MODEL, tokenLevel.id());
        List<PrivacyCost> costs = new ArrayList<>();
        LanguageModelEncoder encoder = switch (tokenLevel) {
            case CHAR -> LanguageModelEncoder.characters(maxLength, sanitize);
            case WORD -> LanguageModelEncoder.words(
                    selectWords(vocabulary, train, maxLength, sanitize, session.config(), costs), maxLength, sanitize);
        };
        // a shipped character model reads ids by the set it was trained on: the same tokens, or no start
        if (tokenLevel == TokenLevel.CHAR && session.publicEncoder() != null
                && encoder.vocabulary() instanceof WordListVocabulary tokens) {
            session.publicEncoder().checkVocabulary(tokens.tokens());
        }
        ModelConfig modelConfig = ModelConfig.builder().task(ModelTask.LANGUAGE_MODEL).shape(shape)
                .vocabSize(encoder.vocabSize()).build();
        ObjectNode encoding = JSON.createObjectNode().put("token_level", tokenLevel.id())
                .put("tokenizer", tokenLevel == TokenLevel.CHAR ? "characters" : "word-lowercase")
                .put("max_length", maxLength).put("boundary", LanguageModelEncoder.BOUNDARY);
        return session.prepare(encoder, train, valid, costs, modelConfig, encoding,
                tokenLevel == TokenLevel.CHAR ? PUBLIC_CHARSET : vocabulary.id());
    }

    /**
     * A word-level vocabulary: a public word list, or a DP selection from the sanitized texts of
     * {@code train} (its cost added to {@code costs} as mechanism "vocabulary").
     */
    public static List<String> selectWords(VocabularySource vocabulary, List<TextRecord> train, int maxLength,
            boolean sanitize, DpSgdConfig config, List<PrivacyCost> costs) {
        switch (vocabulary.kind()) {
            case FILE -> {
                return vocabulary.wordList().tokens();
            }
            case DP -> {
                if (!config.isPrivate()) {
                    throw new IllegalArgumentException("vocab dp needs a private run (use a word-list file without privacy)");
                }
                LanguageModelEncoder cleaner = LanguageModelEncoder.words(List.of(), maxLength, sanitize);
                List<TextRecord> cleaned = train.stream().map(r -> r.withText(cleaner.clean(r.text()))).toList();
                DpVocabulary selected = vocabulary.selectPrivately(cleaned, cleaner.tokenizer(), config.delta());
                costs.add(new PrivacyCost("vocabulary", selected.events()));
                return selected.vocabulary().tokens();
            }
            default -> throw new IllegalArgumentException("vocab must be dp or a word-list file for word-level"
                    + " language models (hashed ids cannot be turned back into words), was " + vocabulary.id());
        }
    }

    @Override
    protected LanguageModelEncoder loadEncoder(Path runDir) throws IOException {
        return LanguageModelEncoder.load(runDir);
    }

    @Override
    protected TrainingSession.Task<LstmLanguageModel> task(LanguageModelEncoder encoder) {
        return TrainingSession.Task.of(LstmLanguageModel::create, model -> {
            generator = new TextGenerator(ManagedModel.borrowing(session.manager(), model), encoder);
            return generator::save;
        });
    }

    /** The trained model as a generator (after {@link #fit}, {@link #train} or {@link #resume}). */
    public TextGenerator generator() {
        if (generator == null) {
            throw new IllegalStateException("no language model yet: call fit first");
        }
        return generator;
    }

    /** Builder; {@link #config} is required, the model shape and tokens have defaults. */
    public static final class Builder extends TextModelTrainerBuilder<Builder> {
        private TokenLevel tokenLevel = TokenLevel.CHAR;
        private VocabularySource vocabulary;

        private Builder() {
            super(64, 128, 200);
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Output weight = embedding table (needs embedding size = hidden size); default false. */
        public Builder optTiedEmbedding(boolean tiedEmbedding) {
            return optShape(shape().withTiedEmbedding(tiedEmbedding));
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

        public LanguageModelTrainer build() {
            validate();
            if (tokenLevel == TokenLevel.CHAR && vocabulary != null) {
                throw new IllegalArgumentException("vocab must not be given at token level char"
                        + " (characters come from the fixed public character set), was " + vocabulary.id());
            }
            if (tokenLevel == TokenLevel.WORD && vocabulary == null) {
                throw new IllegalArgumentException("vocab must be dp or a word-list file at token level word, was none");
            }
            if (shape().tiedEmbedding() && shape().embeddingDim() != shape().hiddenSize()) {
                throw new IllegalArgumentException("tied embedding needs embedding size = hidden size, was "
                        + shape().embeddingDim() + " and " + shape().hiddenSize());
            }
            return new LanguageModelTrainer(this);
        }
    }
}
