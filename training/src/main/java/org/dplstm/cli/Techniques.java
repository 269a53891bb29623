package org.dplstm.cli;

import java.nio.file.Path;
import java.util.Map;
import org.dplstm.training.classifier.ClassifierTokenLevel;
import org.dplstm.training.classifier.TextClassifierTrainer;

/**
 * A run's choices of how tokens are made and how the noisy parameters are spent (issue 12's
 * techniques), resolved from the command line and kept in run.json for {@code --resume}. Apart
 * from the rest of {@link TrainingJob.Settings} so each technique stays in one place.
 *
 * @param tokenLevel a classifier's token level (null for a language model, which has its own)
 * @param tokenizer the public tokenizer.json of token level subword (else null)
 */
record Techniques(ClassifierTokenLevel tokenLevel, Path tokenizer) {

    /** What runs written before these choices existed used: word-level classifiers. */
    static final Techniques WORD_LEVEL = new Techniques(ClassifierTokenLevel.WORD, null);

    Techniques {
        if ((tokenLevel == ClassifierTokenLevel.SUBWORD) != (tokenizer != null)) {
            throw new IllegalArgumentException(tokenLevel == ClassifierTokenLevel.SUBWORD
                    ? "--token-level subword needs --tokenizer FILE (a public tokenizer.json)"
                    : "--tokenizer needs --token-level subword, token level was "
                            + (tokenLevel == null ? "the language model's" : tokenLevel.id()));
        }
    }

    /** The language model's: its own token level, none of these. */
    static Techniques languageModel() {
        return new Techniques(null, null);
    }

    /** Adds these choices to a classifier's trainer. */
    TextClassifierTrainer.Builder applyTo(TextClassifierTrainer.Builder builder) {
        builder.optTokenLevel(tokenLevel);
        return tokenizer == null ? builder : builder.optTokenizerFile(tokenizer);
    }

    void putInto(Map<String, Object> map) {
        if (tokenLevel != null) {
            map.put("token_level", tokenLevel.id());
        }
        map.put("tokenizer", tokenizer == null ? null : tokenizer.toAbsolutePath().toString());
    }

    static Techniques fromMap(Map<String, Object> map, boolean languageModel) {
        if (languageModel) {
            return languageModel();
        }
        Object level = map.get("token_level");
        Object tokenizer = map.get("tokenizer");
        return new Techniques(level == null ? ClassifierTokenLevel.WORD : ClassifierTokenLevel.parse((String) level),
                tokenizer == null ? null : Path.of((String) tokenizer));
    }
}
