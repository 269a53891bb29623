package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.TrainableParameters;

/**
 * One DP-SGD step as a unit (Abadi et al. 2016; ARCHITECTURE §2): every privacy unit joins the
 * batch with probability q (Poisson sampling, secure randomness); the {@link Clipper} clips each
 * unit's gradient to norm C and sums them, micro-batch by micro-batch (a unit never spans two);
 * N(0, σ²C²) is added once to every coordinate of the sum; the sum is divided by the EXPECTED batch
 * size qN, never the realised one; the optimizer updates the parameters; and the accountant
 * composes one Poisson-subsampled Gaussian (q, σ). An empty batch is still a step (noise only).
 * Not thread-safe.
 */
public final class DpSgdStep {

    private final Clipper clipper;
    private final double sampleRate;
    private final double noiseMultiplier;
    private final double maxGradNorm;
    private final MicroBatcher batcher;
    private final TrainingRandomness randomness;
    private final PrivacyAccountant accountant;

    /** How the step's noisy mean gradient reaches a parameter: an optimizer's update. */
    @FunctionalInterface
    public interface Update {
        void apply(String parameterName, NDArray parameter, NDArray gradient);
    }

    private DpSgdStep(Builder b) {
        this.clipper = b.clipper;
        this.sampleRate = b.sampleRate;
        this.noiseMultiplier = b.noiseMultiplier;
        this.maxGradNorm = b.maxGradNorm;
        this.batcher = new MicroBatcher(b.microBatchSize);
        this.randomness = b.randomness != null ? b.randomness : TrainingRandomness.secure(NoiseKind.SECURE);
        this.accountant = b.accountant;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The event each step composes into the accountant. */
    public PrivacyEvent.PoissonGaussian event() {
        return new PrivacyEvent.PoissonGaussian(sampleRate, noiseMultiplier, 1);
    }

    /**
     * Takes one step on {@code data}, updating the clipper's parameters through {@code update};
     * arrays of the step live in {@code scope}.
     */
    public void take(NDManager scope, UnitData data, Update update) {
        int population = data.unitCount();
        double expectedBatchSize = sampleRate * population;
        TrainableParameters parameters = clipper.parameters();
        NDList arrays = parameters.arrays();
        for (NDArray parameter : arrays) {
            // an op's result goes to its first operand's manager: the optimizer's work on a
            // parameter then dies with the step instead of piling up in the model's manager
            parameter.tempAttach(scope);
        }
        List<int[]> units = new ArrayList<>();
        for (int unit : randomness.sampler().sample(population, sampleRate)) {
            units.add(data.examplesOf(unit));
        }
        NDList sums = parameters.zeros(scope);
        for (MicroBatch micro : batcher.pack(units, data.grouped())) {
            try (NDManager microScope = scope.newSubManager()) {
                ExampleBatch batch = data.batch(microScope, micro.examples(), asLongs(micro.groups()));
                ClippedGradients clipped = clipper.clippedSum(microScope, batch, maxGradNorm);
                for (int i = 0; i < sums.size(); i++) {
                    sums.get(i).addi(clipped.sums().get(i));
                }
            }
        }
        // noise once per step, on every coordinate, however the sum was computed
        NDList noisy = randomness.noise().addToAll(scope, sums, noiseMultiplier * maxGradNorm);
        for (int i = 0; i < sums.size(); i++) {
            // the expected batch size: the realised one depends on who was sampled (§2, step 4)
            update.apply(parameters.names().get(i), arrays.get(i), noisy.get(i).div(expectedBatchSize));
        }
        if (accountant != null) {
            accountant.compose(event());
        }
    }

    private static long[] asLongs(int[] groups) {
        if (groups == null) {
            return null;
        }
        long[] longs = new long[groups.length];
        for (int i = 0; i < groups.length; i++) {
            longs[i] = groups[i];
        }
        return longs;
    }

    /** Builder: the clipper, q, σ and C are required; every value is checked by {@link #build}. */
    public static final class Builder {
        private Clipper clipper;
        private double sampleRate = Double.NaN;
        private double noiseMultiplier = Double.NaN;
        private double maxGradNorm = Double.NaN;
        private int microBatchSize = 256;
        private TrainingRandomness randomness;
        private PrivacyAccountant accountant;

        private Builder() {}

        public Builder setClipper(Clipper clipper) {
            this.clipper = clipper;
            return this;
        }

        /** q: each unit's probability of joining a step's batch. */
        public Builder setSampleRate(double sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        /** σ: the noise's standard deviation over the clipping norm. */
        public Builder setNoiseMultiplier(double noiseMultiplier) {
            this.noiseMultiplier = noiseMultiplier;
            return this;
        }

        /** C: each unit's gradient norm bound. */
        public Builder setMaxGradNorm(double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        /** Examples per clipper call (a memory bound; the result does not depend on it). Default 256. */
        public Builder optMicroBatchSize(int microBatchSize) {
            this.microBatchSize = microBatchSize;
            return this;
        }

        /** Sampling and noise; default secure ({@link TrainingRandomness#secure}). */
        public Builder optRandomness(TrainingRandomness randomness) {
            this.randomness = randomness;
            return this;
        }

        /** Composes one event per step. */
        public Builder optAccountant(PrivacyAccountant accountant) {
            this.accountant = accountant;
            return this;
        }

        public DpSgdStep build() {
            Objects.requireNonNull(clipper, "clipper");
            if (!(sampleRate > 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("sample rate must be in (0, 1], was " + sampleRate);
            }
            if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
                throw new IllegalArgumentException("noise multiplier must be > 0 and finite, was " + noiseMultiplier);
            }
            if (!(maxGradNorm > 0) || Double.isInfinite(maxGradNorm)) {
                throw new IllegalArgumentException("max grad norm must be > 0 and finite, was " + maxGradNorm);
            }
            if (microBatchSize < 1) {
                throw new IllegalArgumentException("micro-batch size must be >= 1, was " + microBatchSize);
            }
            return new DpSgdStep(this);
        }
    }
}
