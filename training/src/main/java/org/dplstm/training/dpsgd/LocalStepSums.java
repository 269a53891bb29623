package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import java.util.Objects;
import org.dplstm.training.mechanism.clip.Clipper;

/**
 * The {@link StepSums} of one process: the step's Poisson sample drawn by a secure sampler, the
 * sampled units' clipped gradients summed by a clipper in micro-batches ({@link MicroBatchedSums}).
 */
public final class LocalStepSums implements StepSums {

    private final Clipper clipper;
    private final UnitData data;
    private final UnitSampler sampler;
    private final double sampleRate;
    private final double maxGradNorm;
    private final int microBatchSize;
    private final MicroBatchedSums.Measure measure;

    private LocalStepSums(Builder b) {
        this.clipper = b.clipper;
        this.data = b.data;
        this.sampler = b.sampler;
        this.sampleRate = b.sampleRate;
        this.maxGradNorm = b.maxGradNorm;
        this.microBatchSize = b.microBatchSize;
        this.measure = b.measure;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SampledSum sum(NDManager scope, long step, boolean measureLoss) {
        int[] sampled = sampler.sample(data.unitCount(), sampleRate);
        return MicroBatchedSums.clipped(clipper, data, scope, MicroBatchedSums.unitsOf(data, sampled), maxGradNorm,
                microBatchSize, measureLoss ? measure : null);
    }

    /** Builder: the clipper, data, sampler, q and C are required. */
    public static final class Builder {
        private Clipper clipper;
        private UnitData data;
        private UnitSampler sampler;
        private double sampleRate = Double.NaN;
        private double maxGradNorm = Double.NaN;
        private int microBatchSize = 256;
        private MicroBatchedSums.Measure measure;

        private Builder() {}

        public Builder setClipper(Clipper clipper) {
            this.clipper = clipper;
            return this;
        }

        /** The population and its units. */
        public Builder setData(UnitData data) {
            this.data = data;
            return this;
        }

        /** Draws each step's sample; production code: {@link TrainingRandomness#secure}'s. */
        public Builder setSampler(UnitSampler sampler) {
            this.sampler = sampler;
            return this;
        }

        public Builder setSampleRate(double sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        public Builder setMaxGradNorm(double maxGradNorm) {
            this.maxGradNorm = maxGradNorm;
            return this;
        }

        /** Examples per clipper call (a memory bound; the sum does not depend on it). Default 256. */
        public Builder optMicroBatchSize(int microBatchSize) {
            this.microBatchSize = microBatchSize;
            return this;
        }

        /** Measures a local-only training loss on the first micro-batch when a step asks for it. */
        public Builder optMeasure(MicroBatchedSums.Measure measure) {
            this.measure = measure;
            return this;
        }

        public LocalStepSums build() {
            Objects.requireNonNull(clipper, "clipper");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(sampler, "sampler");
            if (!(sampleRate > 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("sample rate must be in (0, 1], was " + sampleRate);
            }
            Clipper.checkNorm(maxGradNorm);
            if (microBatchSize < 1) {
                throw new IllegalArgumentException("micro-batch size must be >= 1, was " + microBatchSize);
            }
            return new LocalStepSums(this);
        }
    }
}
