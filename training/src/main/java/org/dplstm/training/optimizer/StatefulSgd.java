package org.dplstm.training.optimizer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Sgd;
import java.util.Map;
import java.util.function.Function;

/** DJL's SGD with its momentum arrays routed through {@link OptimizerSlots}. */
final class StatefulSgd extends Sgd {

    private final transient OptimizerSlots slots;

    StatefulSgd(Sgd.Builder builder, OptimizerSlots slots) {
        super(builder);
        this.slots = slots;
    }

    @Override
    protected NDArray withDefaultState(
            Map<String, Map<Device, NDArray>> state,
            String key,
            Device device,
            Function<String, NDArray> defaultFunction) {
        return slots.stateFor(
                state, key, device, defaultFunction,
                start -> super.withDefaultState(state, key, device, start));
    }
}
