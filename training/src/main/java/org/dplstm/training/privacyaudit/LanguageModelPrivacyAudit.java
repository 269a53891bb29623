package org.dplstm.training.privacyaudit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.languagemodel.LanguageModelTrainer;
import org.dplstm.training.languagemodel.TextGenerator;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.session.PreparedTextRun;

/**
 * An empirical privacy audit of a language model ({@link AuditExperiment} does the drawing and
 * the measuring; this class says what is specific to language models).
 *
 * <ul>
 *   <li>Canaries as text (Carlini et al. 2019, "The Secret Sharer"): each canary, a random secret
 *       in the template ("my account pin is 4 8 2 9", numerals at character level so every
 *       candidate has the same length; see {@link CanaryTemplate}), is a plain training line
 *       inserted {@code repeats} times. A candidate secret scores the model's log-perplexity of
 *       the secret given the prefix (summed token NLL); exposure = log2 |R| − log2 rank.
 *   <li>One-run audit examples (Steinke, Nasr, Jagielski 2023) are fresh random lines, each
 *       included once with probability 1/2: at character level four groups of five random
 *       lower-case letters, at word level twelve random digit words. Natural held-out lines
 *       differ too little in loss from members for a small model to separate them, so the bound
 *       without privacy would be near 0 and test nothing; a random line is what a model must
 *       memorise to fit, and every random line has the same structure, so differences in loss
 *       come from membership. Their loss is the mean per-token NLL.
 *   <li>Membership inference: the loss-threshold attack on the same audit examples, included
 *       (members) against excluded (non-members).
 * </ul>
 *
 * <pre>{@code
 * LanguageModelPrivacyAudit audit = new LanguageModelPrivacyAudit(PrivacyAuditConfig.builder().build());
 * try (LanguageModelTrainer trainer = LanguageModelTrainer.builder().config(config).build()) {
 *     PrivacyAuditOutcome outcome = audit.run(trainer, TokenLevel.CHAR, train, valid);
 * }
 * }</pre>
 */
public final class LanguageModelPrivacyAudit {

    /** Character level: four words of five letters (94 bits of randomness a line). */
    static final int LETTER_WORDS = 4;
    static final int LETTERS_PER_WORD = 5;
    /** Word level: twelve digit words (40 bits), tokens every vocabulary that passes the visibility check has. */
    static final int DIGIT_WORDS = 12;
    static final String AUDIT_SOURCE = "audit-line";

    private final AuditExperiment experiment;

    /** Secrets, audit lines and coins from a secure source. */
    public LanguageModelPrivacyAudit(PrivacyAuditConfig config) {
        this(config, AuditRandomness.secure());
    }

    public LanguageModelPrivacyAudit(PrivacyAuditConfig config, AuditRandomness randomness) {
        this.experiment = new AuditExperiment(config, randomness);
        config.canaryLabel().ifPresent(label -> {
            throw new IllegalArgumentException("canary label applies to classifiers only (a language model's canaries"
                    + " are plain text), was '" + label + "'");
        });
    }

    public PrivacyAuditConfig config() {
        return experiment.config();
    }

    /** Plants, checks the secrets are visible to the model, trains, measures. */
    public PrivacyAuditOutcome run(LanguageModelTrainer trainer, TokenLevel level, List<TextRecord> train,
            List<TextRecord> valid) {
        PlantedData planted = plant(train, level);
        PreparedTextRun<LanguageModelEncoder> prepared = trainer.prepare(planted.trainingRecords(), valid);
        checkSecretsVisible(prepared.encoder());
        TrainingResult result = trainer.train(prepared);
        TextGenerator generator = trainer.generator();
        return measure(generator.model(), generator.encoder(), planted, result, n -> { });
    }

    /**
     * The audit's training data: every original line, plus each canary line {@code repeats}
     * times, plus each of m fresh random lines (for {@code level}) once if its fair coin comes up.
     */
    public PlantedData plant(List<TextRecord> train, TokenLevel level) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(level, "level");
        if (config().auditExamples() > train.size()) {
            throw new IllegalArgumentException("audit examples must be <= the training lines (" + train.size()
                    + "), was " + config().auditExamples());
        }
        AuditExperiment.checkReservedUsers(train);
        return experiment.plant(new RandomLinePlanting(train, level));
    }

    /**
     * Fails (bad input) unless the model sees every secret whole: for each digit d, the text of
     * the secret d…d must encode as the prefix's tokens followed by the secret's tokens, none of
     * them unknown (a word list without the digit words) or cut off (a too short --max-length),
     * and the ten secrets' token sequences must differ. Otherwise candidates tie and exposure
     * would be meaningless.
     */
    public void checkSecretsVisible(LanguageModelEncoder encoder) {
        checkSecretsVisible(config().template(), encoder);
    }

    /** As {@link #checkSecretsVisible(LanguageModelEncoder)} for a template (an encoder-decoder's target side). */
    static void checkSecretsVisible(CanaryTemplate template, LanguageModelEncoder encoder) {
        int[] prefix = encoder.encodePrompt(template.prefix());
        long repunit = (template.spaceSize() - 1) / 9;
        Set<List<Integer>> secrets = new HashSet<>();
        for (int digit = 0; digit < 10; digit++) {
            long secret = digit * repunit;
            int[] ids = encoder.encode(template.textFor(secret));
            String problem = null;
            if (ids.length < 2 || ids[ids.length - 1] != encoder.boundaryId()) {
                problem = "the canary '" + template.textFor(secret) + "' is longer than --max-length "
                        + encoder.maxLength() + " tokens";
            } else if (ids.length <= prefix.length || !Arrays.equals(prefix, Arrays.copyOf(ids, prefix.length))) {
                problem = "the secret of '" + template.textFor(secret) + "' has no tokens of its own after the prefix";
            } else {
                int[] secretIds = Arrays.copyOfRange(ids, prefix.length, ids.length - 1);
                if (Arrays.stream(secretIds).anyMatch(id -> id == Vocabulary.UNKNOWN_ID)) {
                    problem = "the digit '" + template.digitText(digit) + "' is an unknown token";
                } else if (!secrets.add(Arrays.stream(secretIds).boxed().toList())) {
                    problem = "the digit '" + template.digitText(digit) + "' has the tokens of another";
                }
            }
            if (problem != null) {
                throw new IllegalArgumentException("canary secrets must be visible to the model: every digit after '"
                        + template.prefix() + "' needs tokens of its own (check --vocab and --max-length), but "
                        + problem);
            }
        }
    }

    /** How many texts {@link #measure} scores (for a progress bar). */
    public long scoringCount(PlantedData planted) {
        return experiment.scoringCount(planted);
    }

    /**
     * Measures a language model trained on {@code planted.trainingRecords()}: exposure,
     * membership inference and the one-run lower bound at the run's δ. {@code progress} receives
     * counts of scored texts.
     */
    public PrivacyAuditOutcome measure(LstmLanguageModel model, LanguageModelEncoder encoder, PlantedData planted,
            TrainingResult run, LongConsumer progress) {
        String kind = encoder.level() == TokenLevel.CHAR
                ? "random lines of " + LETTER_WORDS + " words of " + LETTERS_PER_WORD + " lower-case letters"
                : "random lines of " + DIGIT_WORDS + " digit words";
        return experiment.measure(new LanguageModelScorer(model, encoder, planted.template()), planted, run, kind,
                progress);
    }

    /** A fresh random line for a model of {@code level}: random letters, or random digit words. */
    static String randomLine(TokenLevel level, AuditRandomness randomness) {
        return level == TokenLevel.CHAR ? RandomLinePlanting.letterLine(randomness)
                : RandomLinePlanting.digitWordLine(randomness);
    }

    /** Canaries carry no label; audit examples are fresh random lines, the training lines all kept. */
    private record RandomLinePlanting(List<TextRecord> train, TokenLevel level) implements AuditPlanting {

        @Override
        public String canaryLabel(AuditRandomness randomness) {
            return null;
        }

        @Override
        public AuditCandidates auditCandidates(int m, AuditRandomness randomness) {
            Set<String> lines = new HashSet<>();
            List<TextRecord> examples = new ArrayList<>(m);
            while (examples.size() < m) {
                String line = randomLine(level, randomness);
                if (lines.add(line)) {
                    examples.add(TextRecord.of(AUDIT_SOURCE, examples.size() + 1, line, null, null));
                }
            }
            return new AuditCandidates(train, examples);
        }

        private static String letterLine(AuditRandomness randomness) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < LETTER_WORDS; w++) {
                if (w > 0) {
                    line.append(' ');
                }
                for (int c = 0; c < LETTERS_PER_WORD; c++) {
                    line.append((char) ('a' + randomness.nextInt(26)));
                }
            }
            return line.toString();
        }

        private static String digitWordLine(AuditRandomness randomness) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < DIGIT_WORDS; w++) {
                if (w > 0) {
                    line.append(' ');
                }
                line.append(CanaryTemplate.DIGIT_WORDS[randomness.nextInt(10)]);
            }
            return line.toString();
        }
    }
}
