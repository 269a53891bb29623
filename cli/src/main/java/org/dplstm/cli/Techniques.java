package org.dplstm.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dplstm.training.classifier.ClassifierTokenLevel;
import org.dplstm.training.classifier.TextClassifierTrainer;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.model.ModelKind;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.session.TextModelTrainerBuilder;
import org.dplstm.training.tuning.TuningSettings;

/**
 * A run's choices of how tokens are made and how the noisy parameters are spent (issue 12's
 * techniques), resolved from the command line and kept in run.json for {@code --resume}. Apart
 * from the rest of {@link TrainingJob.Settings} so each technique stays in one place.
 *
 * @param tokenLevel a classifier's token level (null for a language model, which has its own)
 * @param tokenizer the public tokenizer.json of token level subword (else null)
 * @param publicEncoder the name of the shipped encoder, language model or encoder-decoder the run starts from
 *     (else null)
 * @param notes what the run says about its defaults: one it chose from the labels, or one it could not apply
 *     (printed, not kept)
 * @param tune the mean number of trials of private tuning ({@code --tune K}); null: one run
 */
record Techniques(ClassifierTokenLevel tokenLevel, Path tokenizer, String publicEncoder, List<String> notes,
        Double tune) {

    /** What runs written before these choices existed used: word-level classifiers. */
    static final Techniques WORD_LEVEL = new Techniques(ClassifierTokenLevel.WORD, null, null, List.of());

    Techniques {
        notes = notes == null ? List.of() : List.copyOf(notes);
        if ((tokenLevel == ClassifierTokenLevel.SUBWORD) != (tokenizer != null)) {
            throw new IllegalArgumentException(tokenLevel == ClassifierTokenLevel.SUBWORD
                    ? "--token-level subword needs --tokenizer FILE (a public tokenizer.json)"
                    : "--tokenizer needs --token-level subword, token level was "
                            + (tokenLevel == null ? "the language model's" : tokenLevel.id()));
        }
    }

    /** Choices without tuning. */
    Techniques(ClassifierTokenLevel tokenLevel, Path tokenizer, String publicEncoder, List<String> notes) {
        this(tokenLevel, tokenizer, publicEncoder, notes, null);
    }

    /** An encoder-decoder's: it has its own token levels, none of these. */
    static Techniques none() {
        return new Techniques(null, null, null, List.of());
    }

    /**
     * A language model's or an encoder-decoder's: its own token level(s), and the shipped model of
     * its task it starts from (or null).
     */
    static Techniques publicStart(String publicModel, List<String> notes) {
        return new Techniques(null, null, publicModel, notes);
    }

    /** Adds the shipped start to a language model's or an encoder-decoder's trainer. */
    <B extends TextModelTrainerBuilder<B>> B applyPublicStart(B builder) {
        return publicEncoder == null ? builder : builder.optPublicEncoder(PublicEncoder.named(publicEncoder));
    }

    /** Adds these choices to a classifier's trainer. */
    TextClassifierTrainer.Builder applyTo(TextClassifierTrainer.Builder builder) {
        if (tokenLevel == ClassifierTokenLevel.NGRAM) {
            builder.optModel(ModelKind.NGRAM); // its own level: n-grams
        } else {
            builder.optTokenLevel(tokenLevel);
        }
        if (tune != null) {
            builder.optTuning(TuningSettings.withMeanTrials(tune));
        }
        if (publicEncoder != null) {
            builder.optPublicEncoder(PublicEncoder.named(publicEncoder));
        }
        return tokenizer == null ? builder : builder.optTokenizerFile(tokenizer);
    }

    void putInto(Map<String, Object> map) {
        if (tokenLevel != null) {
            map.put("token_level", tokenLevel.id());
        }
        if (tokenLevel == ClassifierTokenLevel.NGRAM) {
            // only for n-gram runs: runs of the recurrent model keep their bytes (RunSettingsCompatibilityTest)
            map.put("model", ModelKind.NGRAM.id());
        }
        map.put("tokenizer", tokenizer == null ? null : tokenizer.toAbsolutePath().toString());
        map.put("public_encoder", publicEncoder);
        if (tune != null) {
            map.put("tune", tune);
        }
    }

    /** What run_start adds: the shipped encoder's weights, pinned by SHA-256. */
    void putAuditInto(Map<String, Object> map) {
        if (publicEncoder != null) {
            map.put("init_model_sha256", PublicEncoder.named(publicEncoder).sha256());
        }
    }

    /**
     * The choices run.json keeps for this task: a classifier's, a language model's or an
     * encoder-decoder's shipped start (runs written before they had one have no key: random
     * weights), nothing else.
     */
    static Techniques fromMap(Map<String, Object> map, ModelTask task) {
        if (task == ModelTask.LANGUAGE_MODEL || task == ModelTask.SEQ2SEQ) {
            return publicStart((String) map.get("public_encoder"), List.of());
        }
        Object level = map.get("token_level");
        Object tokenizer = map.get("tokenizer");
        return new Techniques(level == null ? ClassifierTokenLevel.WORD : ClassifierTokenLevel.ofId((String) level),
                tokenizer == null ? null : Path.of((String) tokenizer), (String) map.get("public_encoder"),
                List.of(), map.get("tune") == null ? null : ((Number) map.get("tune")).doubleValue());
    }
}
