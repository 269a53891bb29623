package org.dplstm.training.privacyaudit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.seq2seq.PairEncoder;

/**
 * An empirical privacy audit of an encoder-decoder ({@link AuditExperiment} does the drawing and
 * the measuring; this class says what is specific to text pairs).
 *
 * <ul>
 *   <li>Canaries are pairs whose target holds a secret: a fixed source prompt ({@value #PROMPT}),
 *       a target in the template ("my account pin is 4 8 2 9", numerals when the target is
 *       characters), inserted {@code repeats} times. A candidate secret scores −log P(secret |
 *       prompt, the target's prefix): the summed negative log-likelihood of the secret's target
 *       tokens given the source; exposure = log2 |R| − log2 rank.
 *   <li>One-run audit examples are fresh random source → random target pairs (random letters at
 *       character level, random digit words at word level, per side), each added once with
 *       probability 1/2; every original pair stays. Their loss is the mean NLL per target token.
 *   <li>Membership inference on the same audit examples, included against excluded.
 * </ul>
 */
public final class Seq2SeqPrivacyAudit {

    /** The source of every canary pair. */
    static final String PROMPT = "what is my account pin";
    static final String AUDIT_SOURCE = "audit-pair";

    private final AuditExperiment experiment;

    /** Secrets, audit pairs and coins from a secure source. */
    public Seq2SeqPrivacyAudit(PrivacyAuditConfig config) {
        this(config, AuditRandomness.secure());
    }

    public Seq2SeqPrivacyAudit(PrivacyAuditConfig config, AuditRandomness randomness) {
        this.experiment = new AuditExperiment(config, randomness);
        config.canaryLabel().ifPresent(label -> {
            throw new IllegalArgumentException("canary label applies to classifiers only (an encoder-decoder's canaries"
                    + " are pairs), was '" + label + "'");
        });
    }

    public PrivacyAuditConfig config() {
        return experiment.config();
    }

    /**
     * The audit's training pairs (text = source, label = target): every original pair, each canary
     * pair {@code repeats} times, and each of m fresh random pairs once if its coin comes up.
     */
    public PlantedData plant(List<TextRecord> train, TokenLevel sourceLevel, TokenLevel targetLevel) {
        Objects.requireNonNull(train, "train");
        if (config().auditExamples() > train.size()) {
            throw new IllegalArgumentException("audit examples must be <= the training pairs (" + train.size()
                    + "), was " + config().auditExamples());
        }
        AuditExperiment.checkReservedUsers(train);
        return experiment.plant(new RandomPairPlanting(train, sourceLevel, targetLevel));
    }

    /**
     * Fails (bad input) unless the target side sees every secret whole (see {@link
     * LanguageModelPrivacyAudit#checkSecretsVisible}).
     */
    public void checkSecretsVisible(PairEncoder encoder) {
        LanguageModelPrivacyAudit.checkSecretsVisible(config().template(), encoder.target());
    }

    /** How many texts {@link #measure} scores (for a progress bar). */
    public long scoringCount(PlantedData planted) {
        return experiment.scoringCount(planted);
    }

    /** Exposure, membership inference and the one-run lower bound of a model trained on the planted pairs. */
    public PrivacyAuditOutcome measure(LstmEncoderDecoder model, PairEncoder encoder, PlantedData planted,
            TrainingResult run, LongConsumer progress) {
        String kind = "random source -> random target pairs ("
                + (encoder.target().level() == TokenLevel.CHAR ? "letters" : "digit words") + " as targets)";
        return experiment.measure(new Seq2SeqScorer(model, encoder, planted.template()), planted, run, kind, progress);
    }

    /** Canaries are prompt → secret pairs; audit examples are fresh random pairs, the training pairs all kept. */
    private record RandomPairPlanting(List<TextRecord> train, TokenLevel sourceLevel, TokenLevel targetLevel)
            implements AuditPlanting {

        /** A canary's label is its source, the fixed prompt. */
        @Override
        public String canaryLabel(AuditRandomness randomness) {
            return PROMPT;
        }

        @Override
        public TextRecord canaryRecord(Canary canary, long line, String user) {
            return TextRecord.of(AuditExperiment.CANARY_SOURCE, line, canary.label(), canary.text(), user);
        }

        @Override
        public AuditCandidates auditCandidates(int m, AuditRandomness randomness) {
            Set<String> sources = new HashSet<>();
            List<TextRecord> examples = new ArrayList<>(m);
            while (examples.size() < m) {
                String source = LanguageModelPrivacyAudit.randomLine(sourceLevel, randomness);
                if (sources.add(source)) {
                    String target = LanguageModelPrivacyAudit.randomLine(targetLevel, randomness);
                    examples.add(TextRecord.of(AUDIT_SOURCE, examples.size() + 1, source, target, null));
                }
            }
            return new AuditCandidates(train, examples);
        }
    }
}
