package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.model.FrozenPart;

/**
 * One DP-SGD step as a unit (Abadi et al. 2016; ARCHITECTURE §2), the one every trainer and the
 * bench run: every privacy unit joins the batch with probability q (Poisson sampling, secure
 * randomness) and the sampled units' gradients, each clipped to norm C, are summed — both by the
 * {@link StepSums} (in this process by a clipper, micro-batch by micro-batch; or over devices, or
 * on a cluster); N(0, σ²C²) is added once to every coordinate of the sum; the sum is divided by the
 * EXPECTED batch size qN, never the realised one; the optimizer updates the parameters; and the
 * accountant composes one Poisson-subsampled Gaussian (q, σ). An empty batch is still a step (noise
 * only). Not thread-safe.
 */
public final class DpSgdStep {

    private final StepSums sums;
    private final int populationSize;
    private final double sampleRate;
    private final double noiseMultiplier;
    private final double maxGradNorm;
    private final GradientNoise noise;
    private final PrivacyAccountant accountant;
    private final FrozenPart frozen;
    private final AdaptiveClipping clipping;

    /** How the step's noisy mean gradient reaches a parameter: an optimizer's update. */
    @FunctionalInterface
    public interface Update {
        void apply(String parameterName, NDArray parameter, NDArray gradient);
    }

    private DpSgdStep(Builder b) {
        this.sums = b.sums;
        this.populationSize = b.populationSize;
        this.sampleRate = b.sampleRate;
        this.noiseMultiplier = b.noiseMultiplier;
        this.maxGradNorm = b.maxGradNorm;
        this.noise = b.noise != null ? b.noise : GradientNoise.secure();
        this.accountant = b.accountant;
        this.frozen = b.frozen;
        this.clipping = b.clipping;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The event each step composes into the accountant. */
    public PrivacyEvent.PoissonGaussian event() {
        return new PrivacyEvent.PoissonGaussian(sampleRate, noiseMultiplier, 1);
    }

    /**
     * Takes step number {@code step} (the steps the run took before it), updating {@code
     * parameters} through {@code update}. Arrays of the step live in {@code scope}, to which the
     * caller lends the parameters (an op's result goes to its first operand's manager: the
     * optimizer's work on a parameter then dies with the step instead of piling up in the model's).
     *
     * @param measure whether the sums also measure a local-only training loss (never logged)
     * @return that loss and accuracy, or {@link Evaluation#NONE}
     */
    public Evaluation take(NDManager scope, long step, boolean measure, ParameterSet parameters, Update update) {
        double clipNorm = clipping != null ? clipping.clipNorm() : maxGradNorm;
        SampledSum sampled = sums.sum(scope, step, clipNorm, measure);
        NDList arrays = parameters.arrays();
        List<String> names = parameters.names();
        if (sampled.sums().length != arrays.size()) {
            throw new IllegalStateException("the step sums had " + sampled.sums().length + " arrays for "
                    + arrays.size() + " parameters");
        }
        NDList clippedSums = new NDList(arrays.size());
        List<Integer> trained = new ArrayList<>(arrays.size());
        for (int i = 0; i < arrays.size(); i++) {
            if (frozen.freezes(names.get(i))) {
                continue; // frozen: no noise, no update (its norm was left out of the clipping)
            }
            // an empty sample is still a step: its sum is zero, and it gets the same noise
            NDArray sum = sampled.sums()[i] != null ? sampled.sums()[i] : arrays.get(i).zerosLike();
            sum.attach(scope);
            clippedSums.add(sum);
            trained.add(i);
        }
        // noise once per step, on every trained coordinate, however the sum was computed (drawn
        // ahead where it can); with adaptive clipping the gradient's share of the accounted σ
        double noiseStddev = clipping != null ? clipping.gradientNoiseMultiplier() * clipNorm
                : noiseMultiplier * maxGradNorm;
        NDList noisy = noise.addToAll(scope, clippedSums, noiseStddev);
        // the expected batch size: the realised one depends on who was sampled (§2, step 4)
        double expectedBatchSize = sampleRate * populationSize;
        for (int k = 0; k < trained.size(); k++) {
            int i = trained.get(k);
            update.apply(names.get(i), arrays.get(i), noisy.get(k).div(expectedBatchSize));
        }
        if (clipping != null) {
            clipping.update(scope, sampled.unitsWithinBound(), noise, expectedBatchSize);
        }
        if (accountant != null) {
            accountant.compose(event());
        }
        return sampled.local();
    }

    /** Builder: the sums, N, q, σ and C are required; every value is checked by {@link #build}. */
    public static final class Builder {
        private StepSums sums;
        private int populationSize;
        private double sampleRate = Double.NaN;
        private double noiseMultiplier = Double.NaN;
        private double maxGradNorm = Double.NaN;
        private GradientNoise noise;
        private PrivacyAccountant accountant;
        private FrozenPart frozen = FrozenPart.NONE;
        private AdaptiveClipping clipping;

        private Builder() {}

        /** Where each step's Poisson sample is drawn and its clipped sum computed (e.g. {@link LocalStepSums}). */
        public Builder setSums(StepSums sums) {
            this.sums = sums;
            return this;
        }

        /** N: the privacy units Poisson sampling draws from. */
        public Builder setPopulationSize(int populationSize) {
            this.populationSize = populationSize;
            return this;
        }

        /** q: each unit's probability of joining a step's batch (the sums sample with the same q). */
        public Builder setSampleRate(double sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        /** σ: the noise's standard deviation over the clipping norm. */
        public Builder setNoiseMultiplier(double noiseMultiplier) {
            this.noiseMultiplier = noiseMultiplier;
            return this;
        }

        /** C: each unit's gradient norm bound (the sums clip to the same C). */
        public Builder setMaxGradNorm(double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        /** The noise; default {@link GradientNoise#secure()}. */
        public Builder optNoise(GradientNoise noise) {
            this.noise = noise;
            return this;
        }

        /** Composes one event per step. */
        public Builder optAccountant(PrivacyAccountant accountant) {
            this.accountant = accountant;
            return this;
        }

        /** Parameters left as they are: no noise, no update (the sums leave them out of the norms). */
        public Builder optFrozen(FrozenPart frozen) {
            this.frozen = Objects.requireNonNull(frozen, "frozen");
            return this;
        }

        /** Moves C after each step from a noised count of the units within it; null: C fixed. */
        Builder optClipping(AdaptiveClipping clipping) {
            this.clipping = clipping;
            return this;
        }

        public DpSgdStep build() {
            Objects.requireNonNull(sums, "sums");
            if (populationSize < 1) {
                throw new IllegalArgumentException("population size must be >= 1, was " + populationSize);
            }
            if (!(sampleRate > 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("sample rate must be in (0, 1], was " + sampleRate);
            }
            if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
                throw new IllegalArgumentException("noise multiplier must be > 0 and finite, was " + noiseMultiplier);
            }
            if (!(maxGradNorm > 0) || Double.isInfinite(maxGradNorm)) {
                throw new IllegalArgumentException("max grad norm must be > 0 and finite, was " + maxGradNorm);
            }
            return new DpSgdStep(this);
        }
    }
}
