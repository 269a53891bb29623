package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.pergrad.ModelClippers;

/**
 * Where a private step's clipped sum is computed (ARCHITECTURE §2, steps 1–2): the step's Poisson
 * sample is drawn and the clipped gradients of the sampled units are summed. The step decomposes,
 * so an implementation may split the sample over micro-batches, devices ({@code --gpus}) or a
 * cluster's executors and add the parts. {@link DpSgdStep} alone adds the noise (once), divides by
 * the expected batch size, updates the model and composes the accountant; an implementation never
 * adds noise and never reports how many units it sampled. The default, {@link LocalStepSums},
 * computes in this process.
 */
public interface StepSums extends AutoCloseable {

    /**
     * The clipped sum of step {@code step}'s sample under the model's current parameters.
     *
     * @param step steps the run took before this one (it continues across a resume)
     * @param clipNorm this step's clip bound C (fixed, or moved by adaptive clipping)
     * @param measure also measure a local-only training loss on part of the sample, if cheap
     */
    SampledSum sum(NDManager scope, long step, double clipNorm, boolean measure);

    @Override
    default void close() {}

    /** The default for a text model: the trainer's sample, clipped by the model's strategy, in this process. */
    static Factory inProcess() {
        return (model, clippers, train, plan, config, sampler) -> LocalStepSums.builder()
                .setClipper(clippers.clipperFor(model))
                .setData(EncodedUnits.of(train, plan.unit()))
                .setSampler(sampler)
                .setSampleRate(plan.sampleRate())
                .optFrozen(config.freeze())
                .optMicroBatchSize(config.microBatchSize())
                .optMeasure(MicroBatchedSums.measureOf(model))
                .build();
    }

    /** Opens a run's step sums once its model, data and plan are known. */
    @FunctionalInterface
    interface Factory {

        /**
         * @param clippers the clipping strategy of each kind of model (replicas of the model need theirs)
         * @param sampler the trainer's secure Poisson sampler, for implementations that sample in
         *     this process (a cluster draws its own keyed coins where the data lives)
         */
        StepSums open(DifferentiableModel model, ModelClippers clippers, EncodedDataset train, PrivacyPlan plan,
                DpSgdConfig config, UnitSampler sampler);
    }
}
