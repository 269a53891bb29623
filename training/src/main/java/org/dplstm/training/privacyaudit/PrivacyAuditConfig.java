package org.dplstm.training.privacyaudit;

import java.util.List;
import java.util.Optional;
import org.dplstm.privacy.Checks;

/**
 * What an empirical privacy audit plants and how it measures. Immutable; build with
 * {@link #builder()}.
 *
 * <p>The one-run bound guesses for a fixed list of fractions of the audit examples (half "in"
 * for the highest scores, half "out" for the lowest), each tested at β / (number of fractions):
 * a union bound, so reporting the largest of the bounds keeps the stated confidence. Choosing
 * the best guess count after looking at the scores without that correction would not.
 */
public final class PrivacyAuditConfig {

    /** Fixed before any run (Steinke et al. 2023 tune the guess count; we correct for trying several). */
    static final List<Double> GUESS_FRACTIONS = List.of(0.1, 0.25, 0.5, 1.0);

    private final int canaries;
    private final int repeats;
    private final CanaryTemplate template;
    private final String canaryLabel;
    private final int auditExamples;
    private final double confidence;
    private final long maxExactCandidates;
    private final int extrapolationSamples;

    private PrivacyAuditConfig(Builder b) {
        canaries = b.canaries;
        repeats = b.repeats;
        template = new CanaryTemplate(b.prefix, b.secretDigits, b.spelling);
        canaryLabel = b.canaryLabel;
        auditExamples = b.auditExamples;
        confidence = b.confidence;
        maxExactCandidates = b.maxExactCandidates;
        extrapolationSamples = b.extrapolationSamples;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int canaries() {
        return canaries;
    }

    public int repeats() {
        return repeats;
    }

    public CanaryTemplate template() {
        return template;
    }

    /** The one label of every canary, or empty: each canary gets its own uniformly drawn label. */
    public Optional<String> canaryLabel() {
        return Optional.ofNullable(canaryLabel);
    }

    /** m, the number of one-run audit examples (each included with probability 1/2). */
    public int auditExamples() {
        return auditExamples;
    }

    /** 1 − β of the ε lower bound. */
    public double confidence() {
        return confidence;
    }

    /** Rank exactly when |R| is at most this; else extrapolate (Carlini et al. 2019, §4.3). */
    public long maxExactCandidates() {
        return maxExactCandidates;
    }

    public int extrapolationSamples() {
        return extrapolationSamples;
    }

    /** Whether exposure is exact (every candidate scored) rather than extrapolated from a sample. */
    public boolean exactExposure() {
        return template.spaceSize() <= maxExactCandidates;
    }

    public List<Double> guessFractions() {
        return GUESS_FRACTIONS;
    }

    /** Builder with defaults: 10 canaries × 10 repeats, 4-digit secrets, 1000 audit examples, 95%. */
    public static final class Builder {
        private int canaries = 10;
        private int repeats = 10;
        private int secretDigits = 4;
        private String prefix = CanaryTemplate.DEFAULT_PREFIX;
        private CanaryTemplate.Spelling spelling = CanaryTemplate.Spelling.WORDS;
        private String canaryLabel;
        private int auditExamples = 1000;
        private double confidence = 0.95;
        private long maxExactCandidates = 100_000;
        private int extrapolationSamples = 5_000;

        private Builder() {}

        public Builder optCanaries(int canaries) {
            this.canaries = canaries;
            return this;
        }

        public Builder optRepeats(int repeats) {
            this.repeats = repeats;
            return this;
        }

        public Builder optSecretDigits(int secretDigits) {
            this.secretDigits = secretDigits;
            return this;
        }

        public Builder optPrefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /**
         * Digits of a secret as words (default) or numerals (for a character-level language model:
         * candidates of equal length).
         */
        public Builder optSecretSpelling(CanaryTemplate.Spelling spelling) {
            this.spelling = spelling;
            return this;
        }

        /** Label every canary with this class (default: a uniformly drawn class per canary). */
        public Builder optCanaryLabel(String label) {
            this.canaryLabel = label;
            return this;
        }

        public Builder optAuditExamples(int auditExamples) {
            this.auditExamples = auditExamples;
            return this;
        }

        public Builder optConfidence(double confidence) {
            this.confidence = confidence;
            return this;
        }

        public Builder optMaxExactCandidates(long maxExactCandidates) {
            this.maxExactCandidates = maxExactCandidates;
            return this;
        }

        public Builder optExtrapolationSamples(int extrapolationSamples) {
            this.extrapolationSamples = extrapolationSamples;
            return this;
        }

        public PrivacyAuditConfig build() {
            Checks.atLeast("canaries", canaries, 1);
            Checks.atLeast("repeats", repeats, 1);
            Checks.atLeast("audit examples", auditExamples, 0);
            Checks.openUnitInterval("confidence", confidence);
            Checks.atLeast("max exact candidates", maxExactCandidates, 1);
            Checks.atLeast("extrapolation samples", extrapolationSamples, 10);
            if (canaryLabel != null && canaryLabel.isBlank()) {
                throw new IllegalArgumentException("canary label must not be blank, was '" + canaryLabel + "'");
            }
            PrivacyAuditConfig config = new PrivacyAuditConfig(this);
            if (canaries > config.template.spaceSize()) {
                throw new IllegalArgumentException("canaries must be <= the " + config.template.spaceSize()
                        + " possible secrets of " + secretDigits + " digits, was " + canaries);
            }
            return config;
        }
    }
}
