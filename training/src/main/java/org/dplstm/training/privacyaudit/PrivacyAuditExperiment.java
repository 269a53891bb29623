package org.dplstm.training.privacyaudit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import org.dplstm.audit.empirical.CanaryExposure;
import org.dplstm.audit.empirical.MembershipInference;
import org.dplstm.audit.empirical.OneRunAudit;
import org.dplstm.audit.empirical.PrivacyAuditResult;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.classifier.PreparedRun;
import org.dplstm.training.classifier.TextClassifier;
import org.dplstm.training.classifier.TextClassifierTrainer;
import org.dplstm.training.classifier.TextEncoder;
import org.dplstm.training.dpsgd.TrainingResult;

/**
 * An empirical privacy audit of a text classifier: plant canaries and audit examples in the
 * training data, train, then measure what the model gives away.
 *
 * <ul>
 *   <li>Exposure (Carlini et al. 2019): each canary, a random secret in a fixed template with a
 *       fixed label, is inserted {@code repeats} times; its exposure is log2 |R| − log2 rank of
 *       the true secret among all candidates, ranked by the loss of (candidate text, label).
 *   <li>Membership inference (Yeom et al. 2018): the loss-threshold attack on the audit examples,
 *       included (members) against excluded (non-members); AUC and TPR at FPR 0.1% and 1%.
 *   <li>One-run ε lower bound (Steinke, Nasr, Jagielski 2023): each of the m audit examples is
 *       included once with probability 1/2 (a secure coin); guesses from the losses turn into a
 *       lower bound on ε that holds with the configured confidence if the run is (ε, δ)-DP.
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

    private static final String CANARY_SOURCE = "canary";
    private static final String USER_PREFIX = "dplstm-privacy-audit-";

    private final PrivacyAuditConfig config;
    private final AuditRandomness randomness;

    /** Secrets, labels and coins from a secure source. */
    public PrivacyAuditExperiment(PrivacyAuditConfig config) {
        this(config, AuditRandomness.secure());
    }

    public PrivacyAuditExperiment(PrivacyAuditConfig config, AuditRandomness randomness) {
        this.config = Objects.requireNonNull(config, "config");
        this.randomness = Objects.requireNonNull(randomness, "randomness");
    }

    public PrivacyAuditConfig config() {
        return config;
    }

    /** Plants, checks the secrets are visible to the model, trains, measures. */
    public PrivacyAuditOutcome run(TextClassifierTrainer trainer, List<TextRecord> train, List<TextRecord> valid) {
        PlantedData planted = plant(train);
        PreparedRun prepared = trainer.prepare(planted.trainingRecords(), valid);
        checkSecretsVisible(prepared.encoder());
        TrainingResult result = trainer.train(prepared);
        return measure(trainer.classifier(), planted, result, n -> { });
    }

    /**
     * The audit's training data: the original records minus m audit examples drawn uniformly,
     * plus each canary {@code repeats} times, plus each audit example (relabelled to another class
     * drawn uniformly) once if its fair coin comes up. Each canary and each audit example gets a
     * user id of its own, so at user level it is one privacy unit, as at example level.
     */
    public PlantedData plant(List<TextRecord> train) {
        Objects.requireNonNull(train, "train");
        List<String> labels = train.stream().map(TextRecord::label).filter(Objects::nonNull).distinct().sorted().toList();
        if (labels.size() < 2) {
            throw new IllegalArgumentException("training data must have at least 2 distinct labels, had " + labels.size()
                    + " " + labels);
        }
        config.canaryLabel().ifPresent(label -> {
            if (!labels.contains(label)) {
                throw new IllegalArgumentException("canary label must be one of the training labels " + labels
                        + ", was '" + label + "'");
            }
        });
        int m = config.auditExamples();
        if (m > train.size() / 2) {
            throw new IllegalArgumentException("audit examples must be <= half the training records ("
                    + train.size() / 2 + "), was " + m);
        }
        Set<String> users = new HashSet<>();
        train.forEach(r -> users.add(r.user()));
        if (users.stream().anyMatch(u -> u != null && u.startsWith(USER_PREFIX))) {
            throw new IllegalArgumentException("user ids must not start with '" + USER_PREFIX
                    + "' (reserved for the audit's own records)");
        }

        CanaryTemplate template = config.template();
        List<Canary> canaries = new ArrayList<>();
        Set<Long> secrets = new HashSet<>();
        while (canaries.size() < config.canaries()) {
            long secret = randomness.nextLong(template.spaceSize());
            if (secrets.add(secret)) {
                String label = config.canaryLabel().orElseGet(() -> labels.get(randomness.nextInt(labels.size())));
                canaries.add(new Canary(secret, template.textFor(secret), label));
            }
        }

        boolean[] chosen = new boolean[train.size()];
        List<Integer> auditIndices = chooseDistinct(train.size(), m);
        auditIndices.forEach(i -> chosen[i] = true);

        List<TextRecord> records = new ArrayList<>(train.size() + config.canaries() * config.repeats() + m);
        for (int i = 0; i < train.size(); i++) {
            if (!chosen[i]) {
                records.add(train.get(i));
            }
        }
        for (int c = 0; c < canaries.size(); c++) {
            Canary canary = canaries.get(c);
            for (int r = 0; r < config.repeats(); r++) {
                records.add(TextRecord.of(CANARY_SOURCE, c + 1, canary.text(), canary.label(), USER_PREFIX + "canary-" + c));
            }
        }
        List<AuditExample> auditExamples = new ArrayList<>(m);
        for (int j = 0; j < auditIndices.size(); j++) {
            TextRecord original = train.get(auditIndices.get(j));
            TextRecord relabelled = TextRecord.of(original.source(), original.line(), original.text(),
                    otherLabel(labels, original.label()), USER_PREFIX + "example-" + j);
            boolean included = randomness.coin();
            auditExamples.add(new AuditExample(relabelled, included));
            if (included) {
                records.add(relabelled);
            }
        }
        return new PlantedData(records, template, canaries, config.repeats(), auditExamples);
    }

    /** m distinct indices of [0, n), uniformly (a partial Fisher-Yates shuffle). */
    private List<Integer> chooseDistinct(int n, int m) {
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
    private String otherLabel(List<String> labels, String own) {
        List<String> others = labels.stream().filter(l -> !l.equals(own)).toList();
        return others.get(randomness.nextInt(others.size()));
    }

    /**
     * Fails (bad input) unless the model can see every digit of a secret: in the template, each
     * digit position must get ten distinct token ids for the ten digit words. Otherwise candidates
     * tie (a hash collision, a word-list or DP vocabulary without the digit words, a too short
     * --max-length, sanitization) and exposure would be meaningless.
     */
    public void checkSecretsVisible(TextEncoder encoder) {
        CanaryTemplate template = config.template();
        long repunit = (template.spaceSize() - 1) / 9;
        int[][] encoded = new int[10][];
        for (int digit = 0; digit < 10; digit++) {
            encoded[digit] = encoder.encode(template.textFor(digit * repunit));
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
        long perCanary = config.exactExposure() ? planted.template().spaceSize() : config.extrapolationSamples() + 1;
        return perCanary * planted.canaries().size() + planted.auditExamples().size();
    }

    /**
     * Measures a classifier trained on {@code planted.trainingRecords()}: exposure, membership
     * inference and the one-run lower bound at the run's δ. {@code progress} receives counts of
     * scored texts.
     */
    public PrivacyAuditOutcome measure(TextClassifier classifier, PlantedData planted, TrainingResult run,
            LongConsumer progress) {
        LossScorer scorer = new LossScorer(classifier);
        List<Double> exposures = new ArrayList<>();
        for (Canary canary : planted.canaries()) {
            exposures.add(exposure(scorer, planted.template(), canary, progress));
        }

        List<AuditExample> examples = planted.auditExamples();
        int[] labelIds = examples.stream().mapToInt(e -> scorer.labelId(e.record().label())).toArray();
        double[] losses = scorer.losses(examples.stream().map(e -> e.record().text()).toList(), labelIds, progress);
        boolean[] included = new boolean[examples.size()];
        for (int i = 0; i < included.length; i++) {
            included[i] = examples.get(i).included();
        }
        double[] in = select(losses, included, true);
        double[] out = select(losses, included, false);
        MembershipInference.Result mia = in.length == 0 || out.length == 0
                ? new MembershipInference.Result(Double.NaN, Double.NaN, Double.NaN)
                : MembershipInference.fromLosses(in, out);

        double[] scores = Arrays.stream(losses).map(l -> -l).toArray();
        double beta = 1 - config.confidence();
        List<PrivacyAuditOutcome.BoundForGuesses> bounds = new ArrayList<>();
        double lowerBound = examples.isEmpty() ? Double.NaN : 0.0;
        for (double fraction : config.guessFractions()) {
            int guessCount = (int) Math.round(fraction * examples.size());
            if (guessCount == 0) {
                continue;
            }
            OneRunAudit.Guesses guesses = OneRunAudit.guess(scores, included, guessCount / 2, guessCount - guessCount / 2);
            // Union bound over the fixed guess counts: each is tested at β / (number of counts).
            double bound = OneRunAudit.epsilonLowerBound(guesses, run.delta(), beta / config.guessFractions().size());
            bounds.add(new PrivacyAuditOutcome.BoundForGuesses(guesses, bound));
            lowerBound = Math.max(lowerBound, bound);
        }
        double epsilonFormal = run.isPrivate() ? run.epsilon() : Double.NaN;
        PrivacyAuditResult result = new PrivacyAuditResult(exposures, mia, lowerBound, epsilonFormal);
        return new PrivacyAuditOutcome(result, config.exactExposure(), planted.template().log2SpaceSize(),
                planted.canaries().size(), planted.repeats(), in, out, bounds, run.delta(), config.confidence());
    }

    private double exposure(LossScorer scorer, CanaryTemplate template, Canary canary, LongConsumer progress) {
        int label = scorer.labelId(canary.label());
        double secretLoss = scorer.losses(List.of(canary.text()), new int[] {label}, progress)[0];
        List<String> others = new ArrayList<>();
        if (config.exactExposure()) {
            for (long s = 0; s < template.spaceSize(); s++) {
                if (s != canary.secret()) {
                    others.add(template.textFor(s));
                }
            }
        } else {
            // Candidates drawn uniformly from R (the true secret excluded) for the fitted tail.
            while (others.size() < config.extrapolationSamples()) {
                long s = randomness.nextLong(template.spaceSize());
                if (s != canary.secret()) {
                    others.add(template.textFor(s));
                }
            }
        }
        int[] labels = new int[others.size()];
        Arrays.fill(labels, label);
        double[] otherLosses = scorer.losses(others, labels, progress);
        return config.exactExposure()
                ? CanaryExposure.exact(secretLoss, otherLosses)
                : CanaryExposure.extrapolated(secretLoss, otherLosses, template.log2SpaceSize());
    }

    private static double[] select(double[] values, boolean[] flags, boolean wanted) {
        return java.util.stream.IntStream.range(0, values.length).filter(i -> flags[i] == wanted)
                .mapToDouble(i -> values[i]).toArray();
    }
}
