package org.dplstm.training.dpsgd;

import ai.djl.training.tracker.Tracker;
import java.util.stream.IntStream;

/** Turns a configuration's schedule into one of DJL's learning-rate {@link Tracker}s. */
public final class LearningRateSchedule {

    /** The cosine schedule ends at this fraction of the base rate (DJL needs final < base). */
    static final double COSINE_FINAL_FRACTION = 0.01;

    private LearningRateSchedule() {}

    /**
     * The tracker for a run of {@code plannedSteps}. DJL's optimizers ask it for update number
     * 1, 2, ... (continuing from the checkpointed count after a resume).
     */
    public static Tracker tracker(DpSgdConfig config, long plannedSteps) {
        float base = (float) config.learningRate();
        int warmUp = config.warmUpSteps();
        int mainSteps = (int) Math.max(1, Math.min(Integer.MAX_VALUE, plannedSteps - warmUp));
        Tracker main =
                switch (config.schedule()) {
                    case CONSTANT -> Tracker.fixed(base);
                    case COSINE -> Tracker.cosine()
                            .setBaseValue(base)
                            .optFinalValue((float) (base * COSINE_FINAL_FRACTION))
                            .setMaxUpdates(mainSteps)
                            .build();
                    case STEP -> {
                        int[] boundaries =
                                IntStream.iterate(config.stepEvery(), s -> s > 0 && s < mainSteps, s -> s + config.stepEvery())
                                        .toArray();
                        yield boundaries.length == 0
                                ? Tracker.fixed(base)
                                : Tracker.multiFactor()
                                        .setBaseValue(base)
                                        .setSteps(boundaries)
                                        .optFactor((float) config.stepFactor())
                                        .build();
                    }
                };
        if (warmUp == 0) {
            return main;
        }
        return Tracker.warmUp().setMainTracker(main).optWarmUpSteps(warmUp).optWarmUpBeginValue(0f).build();
    }
}
