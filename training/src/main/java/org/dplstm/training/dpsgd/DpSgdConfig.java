package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.training.model.FrozenPart;

/**
 * Everything that decides how a DP-SGD run trains and spends its privacy budget, composed of five
 * immutable records, each validated in its own constructor and stored by Jackson under its own
 * keys of one flat {@code dp_sgd} object (docs/ARCHITECTURE.md, "Configuration"): {@link
 * PrivacySettings}, {@link StepSettings}, {@link OptimizationSettings}, {@link ExecutionSettings}
 * and {@link TechniqueSettings}. Build with {@link #builder()}. Privacy is chosen exactly once: a
 * target {@link Builder#targetEpsilon(double) ε} (σ calibrated before training), a fixed {@link
 * Builder#noiseMultiplier(double) σ}, or {@link Builder#noPrivacy()}.
 *
 * <p>The accessors below read the records for the callers that predate them; a new setting needs
 * none: read it as {@code config.optimization().newSetting()}.
 */
public final class DpSgdConfig {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Reads the records whose keys every stored configuration has: a missing key or a null
     * number is refused, never read as 0. The techniques are read leniently (absent when off).
     */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Pattern QUOTED_KEY = Pattern.compile("'([a-z_]+)'");
    private static final TypeReference<LinkedHashMap<String, Object>> FLAT = new TypeReference<>() {};

    /** See {@link StepSettings#AUTOMATIC_BATCH_CAP}. */
    public static final int AUTOMATIC_BATCH_CAP = StepSettings.AUTOMATIC_BATCH_CAP;

    private final PrivacySettings privacy;
    private final StepSettings steps;
    private final OptimizationSettings optimization;
    private final ExecutionSettings execution;
    private final TechniqueSettings techniques;

    /** The checks that span two records; each record has checked its own values. */
    public DpSgdConfig(PrivacySettings privacy, StepSettings steps, OptimizationSettings optimization,
            ExecutionSettings execution, TechniqueSettings techniques) {
        this.privacy = Objects.requireNonNull(privacy, "privacy");
        this.steps = Objects.requireNonNull(steps, "steps");
        this.optimization = Objects.requireNonNull(optimization, "optimization");
        this.execution = Objects.requireNonNull(execution, "execution");
        this.techniques = Objects.requireNonNull(techniques, "techniques");
        if (techniques.clipQuantile() != null && !privacy.isPrivate()) {
            throw new IllegalArgumentException("adaptive clipping needs a private run (no privacy does not clip)");
        }
        if (techniques.precondition() != null && !privacy.isPrivate()) {
            throw new IllegalArgumentException("precondition needs a private run (it scales the gradients before"
                    + " clipping, and no privacy does not clip)");
        }
    }

    public static Builder builder() {
        return new Builder(flatten(PrivacySettings.DEFAULT, StepSettings.DEFAULT, OptimizationSettings.DEFAULT,
                ExecutionSettings.DEFAULT, TechniqueSettings.NONE));
    }

    /** A builder holding this configuration's values, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder(toMap());
        b.privacyMode = privacyMode();
        b.privacyChoices = 1;
        return b;
    }

    public PrivacySettings privacy() {
        return privacy;
    }

    public StepSettings steps() {
        return steps;
    }

    public OptimizationSettings optimization() {
        return optimization;
    }

    public ExecutionSettings execution() {
        return execution;
    }

    public TechniqueSettings techniques() {
        return techniques;
    }

    /**
     * The values as one flat map with stable snake_case keys, in the records' order: run.json,
     * checkpoints and the audit log store it, so its keys and values never change (see
     * DpSgdConfigCompatibilityTest).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = flatten(privacy, steps, optimization, execution, techniques);
        if (!isPrivate()) {
            map.put("delta", null); // a run without privacy has no δ; run.json has always said so
        }
        return map;
    }

    /** Rebuilds a configuration from {@link #toMap()} (every record validated again). */
    public static DpSgdConfig fromMap(Map<String, ?> map) {
        return new DpSgdConfig(read(STRICT, map, PrivacySettings.class), read(STRICT, map, StepSettings.class),
                read(STRICT, map, OptimizationSettings.class), read(STRICT, map, ExecutionSettings.class),
                read(JSON, map, TechniqueSettings.class));
    }

    private static Map<String, Object> flatten(Object... records) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Object record : List.of(records)) {
            map.putAll(JSON.convertValue(record, FLAT));
        }
        return map;
    }

    /**
     * One record from the flat map. A value the record or an enum refuses fails with its own
     * message; a missing or mistyped one names its key.
     */
    private static <T> T read(ObjectMapper mapper, Map<String, ?> map, Class<T> type) {
        try {
            return mapper.convertValue(map, type);
        } catch (IllegalArgumentException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException own) {
                    throw own;
                }
            }
            String key = e.getCause() instanceof JsonMappingException mapping ? keyOf(mapping) : null;
            if (key == null) {
                throw e;
            }
            throw new IllegalArgumentException("dp_sgd " + key + " must be given, as a value of its type, was "
                    + (map.containsKey(key) ? map.get(key) : "missing"), e);
        }
    }

    /** The stored key Jackson could not read: on its path, or named in a missing-property message. */
    private static String keyOf(JsonMappingException mapping) {
        if (!mapping.getPath().isEmpty() && mapping.getPath().get(0).getFieldName() != null) {
            return mapping.getPath().get(0).getFieldName();
        }
        Matcher quoted = QUOTED_KEY.matcher(String.valueOf(mapping.getOriginalMessage()));
        return quoted.find() ? quoted.group(1) : null;
    }

    public PrivacyMode privacyMode() {
        return privacy.mode();
    }

    public boolean isPrivate() {
        return privacy.isPrivate();
    }

    /** The ε the whole run may spend (prior mechanisms included), when one was set. */
    public OptionalDouble targetEpsilon() {
        Double epsilon = privacyMode() == PrivacyMode.TARGET_EPSILON ? privacy.targetEpsilon() : privacy.maxEpsilon();
        return optional(epsilon);
    }

    /** The fixed noise multiplier σ, in {@link PrivacyMode#FIXED_NOISE} mode. */
    public OptionalDouble noiseMultiplier() {
        return optional(privacy.noiseMultiplier());
    }

    public double delta() {
        return privacy.delta();
    }

    public AccountantKind accountant() {
        return privacy.accountant();
    }

    public PrivacyUnit privacyUnit() {
        return privacy.unit();
    }

    /**
     * B: the expected number of sampled units per step (q = B / N); the fixed batch without
     * privacy. Empty when it is chosen from the population size, see {@link #expectedBatchSizeFor}.
     */
    public OptionalDouble expectedBatchSize() {
        return optional(steps.expectedBatchSize());
    }

    /** See {@link StepSettings#expectedBatchSizeFor}. */
    public double expectedBatchSizeFor(int populationSize) {
        return steps.expectedBatchSizeFor(populationSize);
    }

    public double epochs() {
        return steps.epochs();
    }

    /** C: the L2 bound on each unit's gradient over all trainable parameters. */
    public double maxGradNorm() {
        return steps.maxGradNorm();
    }

    public double learningRate() {
        return optimization.learningRate();
    }

    public OptimizerKind optimizer() {
        return optimization.optimizer();
    }

    /** SGD momentum (0 = plain SGD); unused by Adam. */
    public double momentum() {
        return optimization.momentum();
    }

    public ScheduleKind schedule() {
        return optimization.schedule();
    }

    /** Steps of linear warm-up from 0 to the base rate before the schedule starts (0 = none). */
    public int warmUpSteps() {
        return optimization.warmUpSteps();
    }

    /** For {@link ScheduleKind#STEP}: the rate is multiplied by {@link #stepFactor()} every this many steps. */
    public int stepEvery() {
        return optimization.stepEvery();
    }

    public double stepFactor() {
        return optimization.stepFactor();
    }

    /** The largest number of examples the engine sees at once (memory bound, no effect on the math). */
    public int microBatchSize() {
        return execution.microBatchSize();
    }

    public NoiseKind noise() {
        return execution.noise();
    }

    /** Seeds initialisation and data order only; never the noise or the sampling (ARCHITECTURE §5b). */
    public OptionalLong seed() {
        return execution.seed() == null ? OptionalLong.empty() : OptionalLong.of(execution.seed());
    }

    /**
     * The decay of the weights' exponential moving average used for evaluation and the saved
     * model ({@link WeightAverage}); empty when off.
     */
    public OptionalDouble emaDecay() {
        return techniques.emaDecay() > 0 ? OptionalDouble.of(techniques.emaDecay()) : OptionalDouble.empty();
    }

    /** The parameters DP-SGD leaves as they are (after a warm start); {@link FrozenPart#NONE} by default. */
    public FrozenPart freeze() {
        return techniques.freeze();
    }

    /**
     * The target quantile of adaptive clipping ({@link AdaptiveClipping}: the clip norm starts at
     * {@link #maxGradNorm()} and follows this quantile of the norms); empty for a fixed clip norm.
     */
    public OptionalDouble clipQuantile() {
        return optional(techniques.clipQuantile());
    }

    /**
     * The shipped public text whose per-example gradients precondition the clipping ({@link
     * PublicPreconditioner}), as {@code public:NAME}; empty when off.
     */
    public Optional<String> precondition() {
        return Optional.ofNullable(techniques.precondition());
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DpSgdConfig other && toMap().equals(other.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "DpSgdConfig" + toMap();
    }

    /**
     * DJL-style builder over the records' stored names: each setter records one value, {@link
     * #build()} has the records validate them. {@code opt*} setters have the records' defaults.
     */
    public static final class Builder {

        private final Map<String, Object> values;
        private PrivacyMode privacyMode;
        private int privacyChoices;

        private Builder(Map<String, Object> values) {
            this.values = values;
        }

        private Builder set(String key, Object value) {
            values.put(key, value);
            return this;
        }

        /** Calibrate σ before training so the whole run spends at most this ε (at {@link #optDelta}). */
        public Builder targetEpsilon(double epsilon) {
            return choose(PrivacyMode.TARGET_EPSILON).set("target_epsilon", epsilon);
        }

        /** Train with this fixed noise multiplier σ (noise stddev σ·C on each step's clipped sum). */
        public Builder noiseMultiplier(double sigma) {
            return choose(PrivacyMode.FIXED_NOISE).set("noise_multiplier", sigma);
        }

        /** Train the identical model without clipping, noise or privacy accounting (a baseline). */
        public Builder noPrivacy() {
            return choose(PrivacyMode.NONE);
        }

        private Builder choose(PrivacyMode mode) {
            if (privacyMode != mode) {
                privacyChoices++;
            }
            privacyMode = mode;
            return set("privacy_mode", mode);
        }

        /** With a fixed σ: stop cleanly before a step would take ε above this cap. */
        public Builder optMaxEpsilon(double epsilon) {
            return set("max_epsilon", epsilon);
        }

        public Builder optDelta(double delta) {
            return set("delta", delta);
        }

        public Builder optAccountant(AccountantKind accountant) {
            return set("accountant", Objects.requireNonNull(accountant, "accountant"));
        }

        public Builder optPrivacyUnit(PrivacyUnit unit) {
            return set("privacy_unit", Objects.requireNonNull(unit, "privacy unit"));
        }

        public Builder optExpectedBatchSize(double expectedBatchSize) {
            Checks.positive("expected batch size", expectedBatchSize); // null is automatic
            return set("expected_batch_size", expectedBatchSize);
        }

        public Builder optEpochs(double epochs) {
            return set("epochs", epochs);
        }

        public Builder optMaxGradNorm(double maxGradNorm) {
            return set("max_grad_norm", maxGradNorm);
        }

        public Builder optLearningRate(double learningRate) {
            return set("learning_rate", learningRate);
        }

        public Builder optOptimizer(OptimizerKind optimizer) {
            return set("optimizer", Objects.requireNonNull(optimizer, "optimizer"));
        }

        public Builder optMomentum(double momentum) {
            return set("momentum", momentum);
        }

        public Builder optSchedule(ScheduleKind schedule) {
            return set("schedule", Objects.requireNonNull(schedule, "schedule"));
        }

        public Builder optWarmUpSteps(int warmUpSteps) {
            return set("warm_up_steps", warmUpSteps);
        }

        /** For {@link ScheduleKind#STEP}: multiply the rate by {@code factor} every {@code every} steps. */
        public Builder optStepSchedule(int every, double factor) {
            return set("step_every", every).set("step_factor", factor);
        }

        public Builder optMicroBatchSize(int microBatchSize) {
            return set("micro_batch_size", microBatchSize);
        }

        public Builder optNoise(NoiseKind noise) {
            return set("noise", Objects.requireNonNull(noise, "noise"));
        }

        public Builder optSeed(long seed) {
            return set("seed", seed);
        }

        /** Evaluate and save an exponential moving average of the weights with this decay; 0 (default) is off. */
        public Builder optEmaDecay(double decay) {
            return set("ema_decay", decay);
        }

        /** Leave these parameters as they start (a warm start's); default {@link FrozenPart#NONE}. */
        public Builder optFreeze(FrozenPart freeze) {
            return set("freeze", Objects.requireNonNull(freeze, "freeze"));
        }

        /**
         * Adaptive clipping (Andrew et al. 2021): the clip norm starts at the max grad norm and
         * follows this quantile of the per-unit norms, from a noised count accounted with the gradient.
         */
        public Builder optAdaptiveClipping(double quantile) {
            return set("clip_quantile", quantile);
        }

        /**
         * Public preconditioning (AdaDPS, Li et al. 2022): each per-unit gradient is scaled
         * coordinate by coordinate, from the gradients of a shipped model's public text, before it is
         * clipped; {@code source} is {@code public:NAME}, null is off (the default).
         */
        public Builder optPrecondition(String source) {
            return set("precondition", source);
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
            return fromMap(values);
        }
    }
}
