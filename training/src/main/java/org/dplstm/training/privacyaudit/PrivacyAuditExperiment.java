package org.dplstm.training.privacyaudit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.classifier.TextClassifier;
import org.dplstm.training.classifier.TextClassifierTrainer;
import org.dplstm.training.classifier.TextEncoder;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.session.PreparedTextRun;

/**
 * An empirical privacy audit of a text classifier: plant canaries and audit examples in the
 * training data, train, then measure what the model gives away ({@link AuditExperiment} does the
 * drawing and the measuring; this class says what is classifier-specific).
 *
 * <ul>
 *   <li>Exposure (Carlini et al. 2019): each canary, a random secret in a fixed template with a
 *       fixed label, is inserted {@code repeats} times; its exposure is log2 |R| − log2 rank of
 *       the true secret among all candidates, ranked by the loss of (candidate text, label).
 *   <li>Membership inference (Yeom et al. 2018): the loss-threshold attack on the audit examples,
 *       included (members) against excluded (non-members); AUC and TPR at FPR 0.1% and 1%.
 *   <li>One-run ε lower bound (Steinke, Nasr, Jagielski 2023): each of the m audit examples (a
 *       training record relabelled to another class) is included once with probability 1/2 (a
 *       secure coin); guesses from the losses turn into a lower bound on ε that holds with the
 *       configured confidence if the run is (ε, δ)-DP.
 * </ul>
 *
 * <pre>{@code
 * PrivacyAuditExperiment audit = new PrivacyAuditExperiment(PrivacyAuditConfig.builder().build());
 * try (TextClassifierTrainer trainer = TextClassifierTrainer.builder().config(config).build()) {
 *     PrivacyAuditOutcome outcome = audit.run(trainer, train, valid);
 *     outcome.result().epsilonLowerBound();   // ≤ outcome.result().epsilonFormal() if DP holds
 * }
 * }</pre>
 */
public final class PrivacyAuditExperiment {

    static final String AUDIT_EXAMPLE_KIND = "training records relabelled to another class";

    private final AuditExperiment experiment;

    /** Secrets, labels and coins from a secure source. */
    public PrivacyAuditExperiment(PrivacyAuditConfig config) {
        this(config, AuditRandomness.secure());
    }

    public PrivacyAuditExperiment(PrivacyAuditConfig config, AuditRandomness randomness) {
        this.experiment = new AuditExperiment(config, randomness);
    }

    public PrivacyAuditConfig config() {
        return experiment.config();
    }

    /** Plants, checks the secrets are visible to the model, trains, measures. */
    public PrivacyAuditOutcome run(TextClassifierTrainer trainer, List<TextRecord> train, List<TextRecord> valid) {
        PlantedData planted = plant(train);
        PreparedTextRun<TextEncoder> prepared = trainer.prepare(planted.trainingRecords(), valid);
        checkSecretsVisible(prepared.encoder());
        TrainingResult result = trainer.train(prepared);
        return measure(trainer.classifier(), planted, result, n -> { });
    }

    /**
     * The audit's training data: the original records minus m audit examples drawn uniformly,
     * plus each canary {@code repeats} times, plus each audit example (relabelled to another class
     * drawn uniformly) once if its fair coin comes up.
     */
    public PlantedData plant(List<TextRecord> train) {
        ClassifierPlanting planting = new ClassifierPlanting(train, config());
        AuditExperiment.checkReservedUsers(train);
        return experiment.plant(planting);
    }

    /**
     * Fails (bad input) unless the model can see every digit of a secret: in the template, each
     * digit position must get ten distinct token ids for the ten digit words. Otherwise candidates
     * tie (a hash collision, a word-list or DP vocabulary without the digit words, a too short
     * --max-length, sanitization) and exposure would be meaningless.
     */
    public void checkSecretsVisible(TextEncoder encoder) {
        CanaryTemplate template = config().template();
        long repunit = (template.spaceSize() - 1) / 9;
        int[][] encoded = new int[10][];
        for (int digit = 0; digit < 10; digit++) {
            encoded[digit] = encoder.encode(template.textFor(digit * repunit));
        }
        if (encoder.tokenLevel() != org.dplstm.training.classifier.ClassifierTokenLevel.WORD) {
            // characters or subwords: digit words are spelled out in pieces of different lengths; the
            // secrets are visible when every digit encodes differently and nothing is cut off
            boolean distinct = Arrays.stream(encoded).map(Arrays::toString).distinct().count() == 10;
            boolean whole = Arrays.stream(encoded).allMatch(e -> e.length < encoder.maxLength());
            if (!distinct || !whole) {
                throw new IllegalArgumentException("canary secrets must be visible to the model: the digit words after '"
                        + template.prefix() + "' must encode differently and fit in --max-length " + encoder.maxLength()
                        + " " + encoder.tokenLevel().id() + " tokens");
            }
            return;
        }
        int length = encoded[0].length;
        int visible = 0;
        if (Arrays.stream(encoded).allMatch(e -> e.length == length)) {
            for (int position = 0; position < length; position++) {
                Set<Integer> ids = new HashSet<>();
                for (int[] e : encoded) {
                    ids.add(e[position]);
                }
                visible += ids.size() == 10 ? 1 : 0;
            }
        }
        if (visible != template.digits()) {
            throw new IllegalArgumentException("canary secrets must be visible to the model: each of the "
                    + template.digits() + " digit words after '" + template.prefix() + "' needs its own token id"
                    + " (check --vocab, --vocab-size and --max-length), " + visible + " positions had one");
        }
    }

    /** How many texts {@link #measure} scores (for a progress bar). */
    public long scoringCount(PlantedData planted) {
        return experiment.scoringCount(planted);
    }

    /**
     * Measures a classifier trained on {@code planted.trainingRecords()}: exposure, membership
     * inference and the one-run lower bound at the run's δ. {@code progress} receives counts of
     * scored texts.
     */
    public PrivacyAuditOutcome measure(TextClassifier classifier, PlantedData planted, TrainingResult run,
            LongConsumer progress) {
        return experiment.measure(new ClassifierScorer(new LossScorer(classifier)), planted, run, AUDIT_EXAMPLE_KIND,
                progress);
    }

    /** A classifier's canaries carry a label; its audit examples are training records, relabelled. */
    private static final class ClassifierPlanting implements AuditPlanting {

        private final List<TextRecord> train;
        private final List<String> labels;
        private final PrivacyAuditConfig config;

        ClassifierPlanting(List<TextRecord> train, PrivacyAuditConfig config) {
            this.train = Objects.requireNonNull(train, "train");
            this.config = config;
            labels = train.stream().map(TextRecord::label).filter(Objects::nonNull).distinct().sorted().toList();
            if (labels.size() < 2) {
                throw new IllegalArgumentException("training data must have at least 2 distinct labels, had "
                        + labels.size() + " " + labels);
            }
            config.canaryLabel().ifPresent(label -> {
                if (!labels.contains(label)) {
                    throw new IllegalArgumentException("canary label must be one of the training labels " + labels
                            + ", was '" + label + "'");
                }
            });
            if (config.auditExamples() > train.size() / 2) {
                throw new IllegalArgumentException("audit examples must be <= half the training records ("
                        + train.size() / 2 + "), was " + config.auditExamples());
            }
        }

        @Override
        public String canaryLabel(AuditRandomness randomness) {
            return config.canaryLabel().orElseGet(() -> labels.get(randomness.nextInt(labels.size())));
        }

        /**
         * m records drawn uniformly are taken out and relabelled to another class drawn uniformly: a
         * mislabelled example is what a model must memorise to fit, the strongest natural canary.
         */
        @Override
        public AuditCandidates auditCandidates(int m, AuditRandomness randomness) {
            boolean[] chosen = new boolean[train.size()];
            List<TextRecord> examples = new ArrayList<>(m);
            for (int index : chooseDistinct(train.size(), m, randomness)) {
                chosen[index] = true;
                TextRecord original = train.get(index);
                examples.add(TextRecord.of(original.source(), original.line(), original.text(),
                        otherLabel(original.label(), randomness), original.user()));
            }
            List<TextRecord> kept = new ArrayList<>(train.size() - m);
            for (int i = 0; i < train.size(); i++) {
                if (!chosen[i]) {
                    kept.add(train.get(i));
                }
            }
            return new AuditCandidates(kept, examples);
        }

        /** m distinct indices of [0, n), uniformly (a partial Fisher-Yates shuffle). */
        private static List<Integer> chooseDistinct(int n, int m, AuditRandomness randomness) {
            int[] indices = new int[n];
            for (int i = 0; i < n; i++) {
                indices[i] = i;
            }
            List<Integer> chosen = new ArrayList<>(m);
            for (int k = 0; k < m; k++) {
                int j = k + randomness.nextInt(n - k);
                int swap = indices[k];
                indices[k] = indices[j];
                indices[j] = swap;
                chosen.add(indices[k]);
            }
            return chosen;
        }

        /** A label other than {@code own}, uniformly. */
        private String otherLabel(String own, AuditRandomness randomness) {
            List<String> others = labels.stream().filter(l -> !l.equals(own)).toList();
            return others.get(randomness.nextInt(others.size()));
        }
    }

    /** Canary candidates and audit examples scored by the loss of their (text, label). */
    private record ClassifierScorer(LossScorer losses) implements AuditScorer {

        @Override
        public double[] canaryScores(Canary canary, List<String> candidateTexts, LongConsumer progress) {
            int[] labelIds = new int[candidateTexts.size()];
            Arrays.fill(labelIds, losses.labelId(canary.label()));
            return losses.losses(candidateTexts, labelIds, progress);
        }

        @Override
        public double[] auditLosses(List<TextRecord> examples, LongConsumer progress) {
            int[] labelIds = examples.stream().mapToInt(e -> losses.labelId(e.label())).toArray();
            return losses.losses(examples.stream().map(TextRecord::text).toList(), labelIds, progress);
        }
    }
}
