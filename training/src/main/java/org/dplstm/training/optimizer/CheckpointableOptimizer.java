package org.dplstm.training.optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.optimizer.Sgd;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One of DJL's own optimizers (SGD with momentum, or Adam) whose internal state can be read for a
 * checkpoint and restored on resume. The update math is DJL's; only the state bookkeeping is ours.
 * A restored optimizer continues its update count (Adam's bias correction, the learning-rate
 * schedule) from the checkpointed step via DJL's {@code optBeginNumUpdate}.
 */
public final class CheckpointableOptimizer implements AutoCloseable {

    private final Optimizer optimizer;
    private final OptimizerSlots slots;
    private final String kind;
    private long updates;

    private CheckpointableOptimizer(Optimizer optimizer, OptimizerSlots slots, String kind, long updates) {
        this.optimizer = optimizer;
        this.slots = slots;
        this.kind = kind;
        this.updates = updates;
    }

    /**
     * DJL's SGD; with {@code momentum} > 0, DJL's update is state = momentum·state + lr·grad,
     * weight -= state.
     *
     * @param completedUpdates steps already taken (0 for a new run; the checkpoint's step on resume)
     */
    public static CheckpointableOptimizer sgd(
            Tracker learningRate, double momentum, long completedUpdates, NDManager stateManager) {
        OptimizerSlots slots = new OptimizerSlots(List.of("momentum"), stateManager);
        Sgd.Builder builder =
                Optimizer.sgd()
                        .setLearningRateTracker(learningRate)
                        .optMomentum((float) momentum)
                        .optBeginNumUpdate(Math.toIntExact(completedUpdates));
        return new CheckpointableOptimizer(new StatefulSgd(builder, slots), slots, "sgd", completedUpdates);
    }

    /** DJL's Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8, bias-corrected). */
    public static CheckpointableOptimizer adam(
            Tracker learningRate, long completedUpdates, NDManager stateManager) {
        OptimizerSlots slots = new OptimizerSlots(List.of("mean", "variance"), stateManager);
        Adam.Builder builder =
                Optimizer.adam()
                        .optLearningRateTracker(learningRate)
                        .optBeginNumUpdate(Math.toIntExact(completedUpdates));
        return new CheckpointableOptimizer(new StatefulAdam(builder, slots), slots, "adam", completedUpdates);
    }

    /** Applies one update to {@code weight} in place with the gradient {@code grad}. */
    public void update(String parameterName, NDArray weight, NDArray grad) {
        optimizer.update(parameterName, weight, grad);
    }

    /** Marks the end of one logical step (all parameters updated). */
    public void stepDone() {
        updates++;
    }

    /** Logical steps applied so far, restored ones included. */
    public long updates() {
        return updates;
    }

    /** "sgd" or "adam". */
    public String kind() {
        return kind;
    }

    /** State arrays keyed {@code slot/parameter}, e.g. {@code mean/lstm.w_ih}. */
    public Map<String, NDArray> state() {
        return slots.state();
    }

    /** Starts from checkpointed state arrays instead of zeros (call before the first update). */
    public void restoreState(Map<String, NDArray> state) {
        Objects.requireNonNull(state, "state");
        slots.restore(state);
    }

    @Override
    public void close() {
        slots.close();
    }
}
