package org.dplstm.training.dpsgd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.training.model.FrozenPart;

/**
 * Everything that decides how a DP-SGD run trains and spends its privacy budget. Immutable; build
 * with {@link #builder()}, which validates every value. Privacy is chosen exactly once: a target
 * {@link Builder#targetEpsilon(double) ε} (σ calibrated before training), a fixed {@link
 * Builder#noiseMultiplier(double) σ}, or {@link Builder#noPrivacy()}.
 */
public final class DpSgdConfig {

    private final PrivacyMode privacyMode;
    private final double targetEpsilon;
    private final double noiseMultiplier;
    private final double maxEpsilon;
    private final double delta;
    private final AccountantKind accountant;
    private final PrivacyUnit privacyUnit;
    private final double expectedBatchSize;
    private final double epochs;
    private final double maxGradNorm;
    private final double learningRate;
    private final OptimizerKind optimizer;
    private final double momentum;
    private final ScheduleKind schedule;
    private final int warmUpSteps;
    private final int stepEvery;
    private final double stepFactor;
    private final int microBatchSize;
    private final NoiseKind noise;
    private final Long seed;
    private final double emaDecay;
    private final FrozenPart freeze;
    private final double clipQuantile;

    private DpSgdConfig(Builder b) {
        privacyMode = b.privacyMode;
        targetEpsilon = b.targetEpsilon;
        noiseMultiplier = b.noiseMultiplier;
        maxEpsilon = b.maxEpsilon;
        delta = b.delta;
        accountant = b.accountant;
        privacyUnit = b.privacyUnit;
        expectedBatchSize = b.expectedBatchSize;
        epochs = b.epochs;
        maxGradNorm = b.maxGradNorm;
        learningRate = b.learningRate;
        optimizer = b.optimizer;
        momentum = b.momentum;
        schedule = b.schedule;
        warmUpSteps = b.warmUpSteps;
        stepEvery = b.stepEvery;
        stepFactor = b.stepFactor;
        microBatchSize = b.microBatchSize;
        noise = b.noise;
        seed = b.seed;
        emaDecay = b.emaDecay;
        freeze = b.freeze;
        clipQuantile = b.clipQuantile;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.privacyMode = privacyMode;
        b.privacyChoices = 1;
        b.targetEpsilon = targetEpsilon;
        b.noiseMultiplier = noiseMultiplier;
        b.maxEpsilon = maxEpsilon;
        b.delta = delta;
        b.accountant = accountant;
        b.privacyUnit = privacyUnit;
        b.expectedBatchSize = expectedBatchSize;
        b.epochs = epochs;
        b.maxGradNorm = maxGradNorm;
        b.learningRate = learningRate;
        b.optimizer = optimizer;
        b.momentum = momentum;
        b.schedule = schedule;
        b.warmUpSteps = warmUpSteps;
        b.stepEvery = stepEvery;
        b.stepFactor = stepFactor;
        b.microBatchSize = microBatchSize;
        b.noise = noise;
        b.seed = seed;
        b.emaDecay = emaDecay;
        b.freeze = freeze;
        b.clipQuantile = clipQuantile;
        return b;
    }

    public PrivacyMode privacyMode() {
        return privacyMode;
    }

    public boolean isPrivate() {
        return privacyMode != PrivacyMode.NONE;
    }

    /** The ε the whole run may spend (prior mechanisms included), when one was set. */
    public OptionalDouble targetEpsilon() {
        if (privacyMode == PrivacyMode.TARGET_EPSILON) {
            return OptionalDouble.of(targetEpsilon);
        }
        return Double.isNaN(maxEpsilon) ? OptionalDouble.empty() : OptionalDouble.of(maxEpsilon);
    }

    /** The fixed noise multiplier σ, in {@link PrivacyMode#FIXED_NOISE} mode. */
    public OptionalDouble noiseMultiplier() {
        return privacyMode == PrivacyMode.FIXED_NOISE
                ? OptionalDouble.of(noiseMultiplier)
                : OptionalDouble.empty();
    }

    public double delta() {
        return delta;
    }

    public AccountantKind accountant() {
        return accountant;
    }

    public PrivacyUnit privacyUnit() {
        return privacyUnit;
    }

    /**
     * The largest expected batch chosen automatically. DP-SGD's noise per step shrinks as the
     * batch grows (σC/B) while the steps a budget allows grow only slowly, so large batches with
     * more epochs learn more at the same ε (measured on language ID and topic data: 4096 × 40
     * epochs beat 1024 × 10 by 2–3 accuracy points at ε = 3 and 8).
     */
    public static final int AUTOMATIC_BATCH_CAP = 4096;

    /**
     * B: the expected number of sampled units per step (q = B / N); the fixed batch without
     * privacy. Empty when it is chosen from the population size, see {@link #expectedBatchSizeFor}.
     */
    public OptionalDouble expectedBatchSize() {
        return Double.isNaN(expectedBatchSize) ? OptionalDouble.empty() : OptionalDouble.of(expectedBatchSize);
    }

    /**
     * The expected batch size for N units: the configured one, or automatically
     * min({@value #AUTOMATIC_BATCH_CAP}, max(1, ⌊N/2⌋)) (half the data at most, so sampling still
     * amplifies privacy).
     */
    public double expectedBatchSizeFor(int populationSize) {
        if (!Double.isNaN(expectedBatchSize)) {
            return expectedBatchSize;
        }
        return Math.min(AUTOMATIC_BATCH_CAP, Math.max(1, populationSize / 2));
    }

    public double epochs() {
        return epochs;
    }

    /** C: the L2 bound on each unit's gradient over all trainable parameters. */
    public double maxGradNorm() {
        return maxGradNorm;
    }

    public double learningRate() {
        return learningRate;
    }

    public OptimizerKind optimizer() {
        return optimizer;
    }

    /** SGD momentum (0 = plain SGD); unused by Adam. */
    public double momentum() {
        return momentum;
    }

    public ScheduleKind schedule() {
        return schedule;
    }

    /** Steps of linear warm-up from 0 to the base rate before the schedule starts (0 = none). */
    public int warmUpSteps() {
        return warmUpSteps;
    }

    /** For {@link ScheduleKind#STEP}: the rate is multiplied by {@link #stepFactor()} every this many steps. */
    public int stepEvery() {
        return stepEvery;
    }

    public double stepFactor() {
        return stepFactor;
    }

    /** The largest number of examples the engine sees at once (memory bound, no effect on the math). */
    public int microBatchSize() {
        return microBatchSize;
    }

    public NoiseKind noise() {
        return noise;
    }

    /** Seeds initialisation and data order only; never the noise or the sampling (ARCHITECTURE §5b). */
    public OptionalLong seed() {
        return seed == null ? OptionalLong.empty() : OptionalLong.of(seed);
    }

    /** The values as a flat map with stable snake_case keys (reports, checkpoints, audit). */
    /**
     * The decay of the weights' exponential moving average used for evaluation and the saved
     * model ({@link WeightAverage}); empty when off.
     */
    public OptionalDouble emaDecay() {
        return emaDecay > 0 ? OptionalDouble.of(emaDecay) : OptionalDouble.empty();
    }

    /** The parameters DP-SGD leaves as they are (after a warm start); {@link FrozenPart#NONE} by default. */
    public FrozenPart freeze() {
        return freeze;
    }

    /**
     * The target quantile of adaptive clipping ({@link AdaptiveClipping}: the clip norm starts at
     * {@link #maxGradNorm()} and follows this quantile of the norms); empty for a fixed clip norm.
     */
    public OptionalDouble clipQuantile() {
        return Double.isNaN(clipQuantile) ? OptionalDouble.empty() : OptionalDouble.of(clipQuantile);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("privacy_mode", privacyMode.name().toLowerCase(java.util.Locale.ROOT));
        map.put("target_epsilon", privacyMode == PrivacyMode.TARGET_EPSILON ? targetEpsilon : null);
        map.put("noise_multiplier", privacyMode == PrivacyMode.FIXED_NOISE ? noiseMultiplier : null);
        map.put("max_epsilon", Double.isNaN(maxEpsilon) ? null : maxEpsilon);
        map.put("delta", isPrivate() ? delta : null);
        map.put("accountant", accountant.id());
        map.put("privacy_unit", privacyUnit.id());
        map.put("expected_batch_size", Double.isNaN(expectedBatchSize) ? null : expectedBatchSize);
        map.put("epochs", epochs);
        map.put("max_grad_norm", maxGradNorm);
        map.put("learning_rate", learningRate);
        map.put("optimizer", optimizer.id());
        map.put("momentum", momentum);
        map.put("schedule", schedule.id());
        map.put("warm_up_steps", warmUpSteps);
        map.put("step_every", stepEvery);
        map.put("step_factor", stepFactor);
        map.put("micro_batch_size", microBatchSize);
        map.put("noise", noise.id());
        map.put("seed", seed);
        if (emaDecay > 0) { // absent when off, so runs written before it existed read the same
            map.put("ema_decay", emaDecay);
        }
        if (freeze != FrozenPart.NONE) {
            map.put("freeze", freeze.id());
        }
        if (!Double.isNaN(clipQuantile)) {
            map.put("clip", "adaptive");
            map.put("clip_quantile", clipQuantile);
        }
        return map;
    }

    /** Rebuilds a configuration from {@link #toMap()} (values validated again). */
    public static DpSgdConfig fromMap(Map<String, ?> map) {
        Builder b = builder();
        String mode = String.valueOf(map.get("privacy_mode"));
        switch (mode) {
            case "target_epsilon" -> b.targetEpsilon(number(map, "target_epsilon"));
            case "fixed_noise" -> b.noiseMultiplier(number(map, "noise_multiplier"));
            case "none" -> b.noPrivacy();
            default -> throw new IllegalArgumentException(
                    "privacy_mode must be one of target_epsilon|fixed_noise|none, was " + mode);
        }
        if (map.get("max_epsilon") != null) {
            b.optMaxEpsilon(number(map, "max_epsilon"));
        }
        if (map.get("delta") != null) {
            b.optDelta(number(map, "delta"));
        }
        if (map.get("expected_batch_size") != null) {
            b.optExpectedBatchSize(number(map, "expected_batch_size"));
        }
        b.optAccountant(AccountantKind.parse(String.valueOf(map.get("accountant"))))
                .optPrivacyUnit(PrivacyUnit.parse(String.valueOf(map.get("privacy_unit"))))
                .optEpochs(number(map, "epochs"))
                .optMaxGradNorm(number(map, "max_grad_norm"))
                .optLearningRate(number(map, "learning_rate"))
                .optOptimizer(OptimizerKind.parse(String.valueOf(map.get("optimizer"))))
                .optMomentum(number(map, "momentum"))
                .optSchedule(ScheduleKind.parse(String.valueOf(map.get("schedule"))))
                .optWarmUpSteps((int) number(map, "warm_up_steps"))
                .optStepSchedule((int) number(map, "step_every"), number(map, "step_factor"))
                .optMicroBatchSize((int) number(map, "micro_batch_size"))
                .optNoise(NoiseKind.parse(String.valueOf(map.get("noise"))));
        if (map.get("seed") != null) {
            b.optSeed(((Number) map.get("seed")).longValue());
        }
        if (map.get("ema_decay") != null) {
            b.optEmaDecay(number(map, "ema_decay"));
        }
        if (map.get("freeze") != null) {
            b.optFreeze(FrozenPart.parse(String.valueOf(map.get("freeze"))));
        }
        if (map.get("clip_quantile") != null) {
            b.optAdaptiveClipping(number(map, "clip_quantile"));
        }
        return b.build();
    }

    private static double number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, was " + value);
        }
        return n.doubleValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DpSgdConfig other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toMap());
    }

    @Override
    public String toString() {
        return "DpSgdConfig" + toMap();
    }

    /** Validating builder; {@code opt*} setters have defaults. */
    public static final class Builder {

        private PrivacyMode privacyMode;
        private int privacyChoices;
        private double targetEpsilon = Double.NaN;
        private double noiseMultiplier = Double.NaN;
        private double maxEpsilon = Double.NaN;
        private double delta = 1e-5;
        private AccountantKind accountant = AccountantKind.PLD;
        private PrivacyUnit privacyUnit = PrivacyUnit.EXAMPLE;
        // Defaults tuned on real text (language id, package topics): DP-SGD wants large
        // expected batches (noise σC/B per coordinate shrinks with B) and few steps, and Adam at a
        // learning rate that learns within ~100 noisy steps.
        private double expectedBatchSize = Double.NaN; // automatic
        private double epochs = 40;
        private double maxGradNorm = 1.0;
        private double learningRate = 0.05;
        private OptimizerKind optimizer = OptimizerKind.ADAM;
        private double momentum = 0.9;
        private ScheduleKind schedule = ScheduleKind.CONSTANT;
        private int warmUpSteps;
        private int stepEvery = 1000;
        private double stepFactor = 0.5;
        private int microBatchSize = 128;
        private NoiseKind noise = NoiseKind.SECURE;
        private Long seed;
        private double emaDecay;
        private FrozenPart freeze = FrozenPart.NONE;
        private double clipQuantile = Double.NaN;

        private Builder() {}

        /** Calibrate σ before training so the whole run spends at most this ε (at {@link #optDelta}). */
        public Builder targetEpsilon(double epsilon) {
            choose(PrivacyMode.TARGET_EPSILON);
            this.targetEpsilon = epsilon;
            return this;
        }

        /** Train with this fixed noise multiplier σ (noise stddev σ·C on each step's clipped sum). */
        public Builder noiseMultiplier(double sigma) {
            choose(PrivacyMode.FIXED_NOISE);
            this.noiseMultiplier = sigma;
            return this;
        }

        /** Train the identical model without clipping, noise or privacy accounting (a baseline). */
        public Builder noPrivacy() {
            choose(PrivacyMode.NONE);
            return this;
        }

        private void choose(PrivacyMode mode) {
            if (privacyMode != mode) {
                privacyChoices++;
            }
            privacyMode = mode;
        }

        /** With a fixed σ: stop cleanly before a step would take ε above this cap. */
        public Builder optMaxEpsilon(double epsilon) {
            this.maxEpsilon = epsilon;
            return this;
        }

        public Builder optDelta(double delta) {
            this.delta = delta;
            return this;
        }

        public Builder optAccountant(AccountantKind accountant) {
            this.accountant = Objects.requireNonNull(accountant, "accountant");
            return this;
        }

        public Builder optPrivacyUnit(PrivacyUnit unit) {
            this.privacyUnit = Objects.requireNonNull(unit, "privacy unit");
            return this;
        }

        public Builder optExpectedBatchSize(double expectedBatchSize) {
            Checks.positive("expected batch size", expectedBatchSize); // NaN would mean automatic
            this.expectedBatchSize = expectedBatchSize;
            return this;
        }

        public Builder optEpochs(double epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optMaxGradNorm(double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        public Builder optLearningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        public Builder optOptimizer(OptimizerKind optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder optSchedule(ScheduleKind schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        public Builder optWarmUpSteps(int warmUpSteps) {
            this.warmUpSteps = warmUpSteps;
            return this;
        }

        /** For {@link ScheduleKind#STEP}: multiply the rate by {@code factor} every {@code every} steps. */
        public Builder optStepSchedule(int every, double factor) {
            this.stepEvery = every;
            this.stepFactor = factor;
            return this;
        }

        public Builder optMicroBatchSize(int microBatchSize) {
            this.microBatchSize = microBatchSize;
            return this;
        }

        public Builder optNoise(NoiseKind noise) {
            this.noise = Objects.requireNonNull(noise, "noise");
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Evaluate and save an exponential moving average of the weights with this decay; 0 (default) is off. */
        public Builder optEmaDecay(double decay) {
            this.emaDecay = decay;
            return this;
        }

        /** Leave these parameters as they start (a warm start's); default {@link FrozenPart#NONE}. */
        public Builder optFreeze(FrozenPart freeze) {
            this.freeze = Objects.requireNonNull(freeze, "freeze");
            return this;
        }

        /**
         * Adaptive clipping (Andrew et al. 2021): the clip norm starts at the max grad norm and
         * follows this quantile of the per-unit norms, from a noised count accounted with the gradient.
         */
        public Builder optAdaptiveClipping(double quantile) {
            this.clipQuantile = quantile;
            return this;
        }

        public DpSgdConfig build() {
            if (privacyChoices == 0) {
                throw new IllegalArgumentException(
                        "privacy must be chosen: a target epsilon, a noise multiplier, or no privacy");
            }
            if (privacyChoices > 1) {
                throw new IllegalArgumentException(
                        "privacy must be chosen once: give a target epsilon, a noise multiplier or"
                                + " no privacy, not several");
            }
            switch (privacyMode) {
                case TARGET_EPSILON -> {
                    Checks.positive("target epsilon", targetEpsilon);
                    Checks.finite("target epsilon", targetEpsilon);
                    if (!Double.isNaN(maxEpsilon)) {
                        throw new IllegalArgumentException(
                                "max epsilon applies to a fixed noise multiplier only; with a target"
                                        + " epsilon the target is the cap");
                    }
                }
                case FIXED_NOISE -> {
                    Checks.positive("noise multiplier", noiseMultiplier);
                    Checks.finite("noise multiplier", noiseMultiplier);
                    if (!Double.isNaN(maxEpsilon)) {
                        Checks.positive("max epsilon", maxEpsilon);
                    }
                }
                case NONE -> {
                    if (!Double.isNaN(maxEpsilon)) {
                        throw new IllegalArgumentException("max epsilon needs a private run");
                    }
                }
            }
            Checks.delta("delta", delta);
            if (!Double.isNaN(expectedBatchSize)) {
                Checks.positive("expected batch size", expectedBatchSize);
                Checks.finite("expected batch size", expectedBatchSize);
            }
            Checks.positive("epochs", epochs);
            Checks.finite("epochs", epochs);
            Checks.positive("max grad norm", maxGradNorm);
            Checks.finite("max grad norm", maxGradNorm);
            Checks.positive("learning rate", learningRate);
            Checks.finite("learning rate", learningRate);
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
            }
            Checks.atLeast("warm-up steps", warmUpSteps, 0);
            Checks.atLeast("step schedule interval", stepEvery, 1);
            Checks.openUnitInterval("step schedule factor", stepFactor);
            Checks.atLeast("micro-batch size", microBatchSize, 1);
            if (!Double.isNaN(clipQuantile) && !(clipQuantile > 0 && clipQuantile < 1)) {
                throw new IllegalArgumentException("clip quantile must be in (0, 1), was " + clipQuantile);
            }
            if (!Double.isNaN(clipQuantile) && privacyMode == PrivacyMode.NONE) {
                throw new IllegalArgumentException("adaptive clipping needs a private run (no privacy does not clip)");
            }
            if (!(emaDecay == 0 || (emaDecay > 0 && emaDecay < 1))) {
                throw new IllegalArgumentException("ema decay must be 0 (off) or in (0, 1), was " + emaDecay);
            }
            if (privacyMode == PrivacyMode.NONE && privacyUnit == PrivacyUnit.USER) {
                throw new IllegalArgumentException(
                        "privacy unit user needs a private run (no privacy trains on examples)");
            }
            return new DpSgdConfig(this);
        }
    }
}
