package org.dplstm.training.optimizer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Adam;
import java.util.Map;
import java.util.function.Function;

/** DJL's Adam with its moment arrays routed through {@link OptimizerSlots}. */
final class StatefulAdam extends Adam {

    private final transient OptimizerSlots slots;

    StatefulAdam(Adam.Builder builder, OptimizerSlots slots) {
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
