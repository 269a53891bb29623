package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import java.util.Objects;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.model.FrozenPart;

/**
 * The {@link StepSums} of one process: the step's Poisson sample drawn by a secure sampler, the
 * sampled units' clipped gradients summed by a clipper in micro-batches ({@link MicroBatchedSums}).
 */
public final class LocalStepSums implements StepSums {

    private final Clipper clipper;
    private final UnitData data;
    private final UnitSampler sampler;
    private final double sampleRate;
    private final FrozenPart frozen;
    private final int microBatchSize;
    private final MicroBatchedSums.Measure measure;

    private LocalStepSums(Builder b) {
        this.clipper = b.clipper;
        this.data = b.data;
        this.sampler = b.sampler;
        this.sampleRate = b.sampleRate;
        this.frozen = b.frozen;
        this.microBatchSize = b.microBatchSize;
        this.measure = b.measure;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public SampledSum sum(NDManager scope, long step, double clipNorm, boolean measureLoss) {
        int[] sampled = sampler.sample(data.unitCount(), sampleRate);
        return MicroBatchedSums.clipped(clipper, data, scope, MicroBatchedSums.unitsOf(data, sampled),
                new ClipBound(clipNorm, frozen), microBatchSize, measureLoss ? measure : null);
    }

    /** Builder: the clipper, data, sampler and q are required (each step names its C). */
    public static final class Builder {
        private Clipper clipper;
        private UnitData data;
        private UnitSampler sampler;
        private double sampleRate = Double.NaN;
        private FrozenPart frozen = FrozenPart.NONE;
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

        /** Parameters left out of every unit's norm, their sums zero; default none. */
        public Builder optFrozen(FrozenPart frozen) {
            this.frozen = Objects.requireNonNull(frozen, "frozen");
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
            if (microBatchSize < 1) {
                throw new IllegalArgumentException("micro-batch size must be >= 1, was " + microBatchSize);
            }
            return new LocalStepSums(this);
        }
    }
}
