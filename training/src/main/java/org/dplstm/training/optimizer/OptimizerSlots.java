package org.dplstm.training.optimizer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The per-parameter state arrays of a DJL optimizer (Adam's moments, SGD's momentum), made
 * visible so they can be checkpointed and restored. DJL keeps them in private maps that it fills
 * through the protected hook {@code Optimizer.withDefaultState}; our subclasses route that hook
 * here. Each distinct state map is one named slot, named in the order the optimizer first asks for
 * it (DJL 0.36's Adam asks for its means, then its variances, in every update: Java evaluates the
 * arguments of its {@code NDList} left to right). The resume test checks this order end to end: a
 * swapped restore would change the next update.
 */
final class OptimizerSlots implements AutoCloseable {

    private final List<String> slotNames;
    private final Map<Map<?, ?>, String> slotOfMap = new IdentityHashMap<>();
    private final Map<String, NDArray> live = new LinkedHashMap<>();
    private final Map<String, NDArray> restored = new LinkedHashMap<>();
    private final NDManager manager;

    OptimizerSlots(List<String> slotNames, NDManager manager) {
        this.slotNames = List.copyOf(slotNames);
        this.manager = manager;
    }

    List<String> slotNames() {
        return slotNames;
    }

    /** Arrays to start from instead of zeros, keyed {@code slot/parameter}. */
    void restore(Map<String, NDArray> state) {
        for (Map.Entry<String, NDArray> entry : state.entrySet()) {
            String slot = entry.getKey().substring(0, entry.getKey().indexOf('/'));
            if (!slotNames.contains(slot)) {
                throw new IllegalArgumentException(
                        "optimizer state slot must be one of " + slotNames + ", was " + slot);
            }
            NDArray copy = entry.getValue().duplicate();
            copy.attach(manager);
            restored.put(entry.getKey(), copy);
        }
    }

    /**
     * Called from the optimizer's {@code withDefaultState}: {@code superCall} runs DJL's own
     * lookup with the default function given here (a restored array, else DJL's default zeros).
     */
    NDArray stateFor(
            Map<?, ?> stateMap,
            String parameter,
            Device device,
            Function<String, NDArray> defaultFunction,
            Function<Function<String, NDArray>, NDArray> superCall) {
        String slot = slotOfMap.get(stateMap);
        if (slot == null) {
            if (slotOfMap.size() >= slotNames.size()) {
                throw new IllegalStateException(
                        "the optimizer uses more state maps than its declared slots " + slotNames);
            }
            slot = slotNames.get(slotOfMap.size());
            slotOfMap.put(stateMap, slot);
        }
        String key = slot + "/" + parameter;
        NDArray state =
                superCall.apply(
                        k -> {
                            NDArray start = restored.remove(key);
                            return start != null ? start.toDevice(device, true) : defaultFunction.apply(k);
                        });
        if (live.get(key) != state) {
            // DJL detaches its state arrays; keep them alive in our manager until the run ends.
            state.attach(manager);
            live.put(key, state);
        }
        return state;
    }

    /** The current state arrays, keyed {@code slot/parameter} (live views: copy before changing). */
    Map<String, NDArray> state() {
        Map<String, NDArray> all = new LinkedHashMap<>(restored);
        all.putAll(live);
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
