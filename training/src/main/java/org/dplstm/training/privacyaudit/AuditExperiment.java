package org.dplstm.training.privacyaudit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;
import org.dplstm.audit.empirical.CanaryExposure;
import org.dplstm.audit.empirical.MembershipInference;
import org.dplstm.audit.empirical.OneRunAudit;
import org.dplstm.audit.empirical.PrivacyAuditResult;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.TrainingResult;

/**
 * The part of an empirical privacy audit that is the same for every kind of model: drawing the
 * canaries' secrets and the audit examples' inclusion coins, assembling the planted training
 * data, and turning the trained model's scores into exposure, membership-inference metrics and
 * the one-run ε lower bound. What differs (labels, which records are audit examples, how a model
 * scores text) comes in through {@link AuditPlanting} and {@link AuditScorer}.
 */
final class AuditExperiment {

    static final String CANARY_SOURCE = "canary";
    static final String USER_PREFIX = "dplstm-privacy-audit-";

    private final PrivacyAuditConfig config;
    private final AuditRandomness randomness;

    AuditExperiment(PrivacyAuditConfig config, AuditRandomness randomness) {
        this.config = Objects.requireNonNull(config, "config");
        this.randomness = Objects.requireNonNull(randomness, "randomness");
    }

    PrivacyAuditConfig config() {
        return config;
    }

    AuditRandomness randomness() {
        return randomness;
    }

    /** Fails unless the audit's reserved user ids are free in {@code train}. */
    static void checkReservedUsers(List<TextRecord> train) {
        if (train.stream().map(TextRecord::user).anyMatch(u -> u != null && u.startsWith(USER_PREFIX))) {
            throw new IllegalArgumentException("user ids must not start with '" + USER_PREFIX
                    + "' (reserved for the audit's own records)");
        }
    }

    /**
     * The audit's training data: the kept records, plus each canary (a distinct secret drawn
     * uniformly from R) {@code repeats} times, plus each audit example once if its fair coin
     * comes up. Each canary and each audit example gets a user id of its own, so at user level it
     * is one privacy unit, as at example level.
     */
    PlantedData plant(AuditPlanting planting) {
        CanaryTemplate template = config.template();
        List<Canary> canaries = new ArrayList<>();
        Set<Long> secrets = new HashSet<>();
        while (canaries.size() < config.canaries()) {
            long secret = randomness.nextLong(template.spaceSize());
            if (secrets.add(secret)) {
                canaries.add(new Canary(secret, template.textFor(secret), planting.canaryLabel(randomness)));
            }
        }
        AuditPlanting.AuditCandidates candidates = planting.auditCandidates(config.auditExamples(), randomness);

        List<TextRecord> records = new ArrayList<>(candidates.keptRecords().size()
                + config.canaries() * config.repeats() + candidates.examples().size());
        records.addAll(candidates.keptRecords());
        for (int c = 0; c < canaries.size(); c++) {
            Canary canary = canaries.get(c);
            for (int r = 0; r < config.repeats(); r++) {
                records.add(planting.canaryRecord(canary, c + 1, USER_PREFIX + "canary-" + c));
            }
        }
        List<AuditExample> auditExamples = new ArrayList<>(candidates.examples().size());
        for (int j = 0; j < candidates.examples().size(); j++) {
            TextRecord example = candidates.examples().get(j);
            TextRecord own = TextRecord.of(example.source(), example.line(), example.text(), example.label(),
                    USER_PREFIX + "example-" + j);
            boolean included = randomness.coin();
            auditExamples.add(new AuditExample(own, included));
            if (included) {
                records.add(own);
            }
        }
        return new PlantedData(records, template, canaries, config.repeats(), auditExamples);
    }

    /** How many texts {@link #measure} scores (for a progress bar). */
    long scoringCount(PlantedData planted) {
        long perCanary = config.exactExposure() ? planted.template().spaceSize() : config.extrapolationSamples() + 1;
        return perCanary * planted.canaries().size() + planted.auditExamples().size();
    }

    /**
     * Exposure of every canary, membership inference on the audit examples (included against
     * excluded) and the one-run lower bound at the run's δ, from a trained model's scores.
     */
    PrivacyAuditOutcome measure(AuditScorer scorer, PlantedData planted, TrainingResult run, String auditExampleKind,
            LongConsumer progress) {
        List<Double> exposures = new ArrayList<>();
        for (Canary canary : planted.canaries()) {
            exposures.add(exposure(scorer, planted.template(), canary, progress));
        }

        List<AuditExample> examples = planted.auditExamples();
        double[] losses = scorer.auditLosses(examples.stream().map(AuditExample::record).toList(), progress);
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
                planted.canaries().size(), planted.repeats(), auditExampleKind, in, out, bounds, run.delta(),
                config.confidence());
    }

    private double exposure(AuditScorer scorer, CanaryTemplate template, Canary canary, LongConsumer progress) {
        double secretScore = scorer.canaryScores(canary, List.of(canary.text()), progress)[0];
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
        double[] otherScores = scorer.canaryScores(canary, others, progress);
        return config.exactExposure()
                ? CanaryExposure.exact(secretScore, otherScores)
                : CanaryExposure.extrapolated(secretScore, otherScores, template.log2SpaceSize());
    }

    private static double[] select(double[] values, boolean[] flags, boolean wanted) {
        return IntStream.range(0, values.length).filter(i -> flags[i] == wanted).mapToDouble(i -> values[i]).toArray();
    }
}
