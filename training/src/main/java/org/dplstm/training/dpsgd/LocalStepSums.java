package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import org.dplstm.training.model.DifferentiableModel;

/** The default {@link StepSums}: the trainer's secure Poisson sample, summed in this process. */
final class LocalStepSums implements StepSums {

    private final DifferentiableModel model;
    private final EncodedDataset train;
    private final PrivacyPlan plan;
    private final DpSgdConfig config;
    private final UnitSampler sampler;

    LocalStepSums(DifferentiableModel model, EncodedDataset train, PrivacyPlan plan, DpSgdConfig config,
            UnitSampler sampler) {
        this.model = model;
        this.train = train;
        this.plan = plan;
        this.config = config;
        this.sampler = sampler;
    }

    @Override
    public SampledSum sum(NDManager scope, long step, double clipNorm, boolean measure) {
        int[] sampled = sampler.sample(plan.populationSize(), plan.sampleRate());
        boolean userLevel = plan.unit() == PrivacyUnit.USER;
        return MicroBatchedSums.clipped(model, scope, train, MicroBatchedSums.unitsOf(train, sampled, userLevel),
                userLevel, new ClipBound(clipNorm, config.freeze()), config.microBatchSize(), measure);
    }
}
