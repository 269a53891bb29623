package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.training.model.FrozenPart;

/**
 * An exponential moving average of the model's weights (Polyak averaging; the "EMA" of
 * De et al. 2022 for DP training), for evaluation and the saved model. It reads only the noisy
 * weights DP-SGD already released, so it is post-processing and costs no privacy. The decay warms
 * up as min(decay, (1 + t)/(10 + t)) after t updates, so the random initialisation does not
 * dominate a short run's average. Checkpointed with the optimizer state under keys
 * {@value #PREFIX}parameter.
 */
final class WeightAverage implements AutoCloseable {

    static final String PREFIX = "ema/";

    private final double decay;
    private final NDManager manager;
    private final List<String> names;
    private final FrozenPart frozen;
    private final NDArray[] shadow;
    private long updates;

    /**
     * Starts the average at the model's current weights (or at checkpointed ones, see {@link
     * #restore}); {@code frozen} parameters are constants, kept exactly as they are.
     */
    WeightAverage(double decay, NDList parameters, List<String> names, FrozenPart frozen, NDManager manager,
            long updates) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("ema decay must be in (0, 1), was " + decay);
        }
        this.decay = decay;
        this.manager = manager;
        this.names = List.copyOf(names);
        this.frozen = frozen;
        this.updates = updates;
        shadow = new NDArray[parameters.size()];
        for (int i = 0; i < shadow.length; i++) {
            shadow[i] = parameters.get(i).duplicate();
            shadow[i].attach(manager);
        }
    }

    /** Takes the checkpointed average out of a checkpoint's state map (the rest is the optimizer's). */
    static Map<String, NDArray> optimizerPart(Map<String, NDArray> state) {
        Map<String, NDArray> rest = new LinkedHashMap<>(state);
        rest.keySet().removeIf(key -> key.startsWith(PREFIX));
        return rest;
    }

    /** Continues from the averaged weights in a checkpoint's state map, when it has them. */
    void restore(Map<String, NDArray> state) {
        for (int i = 0; i < shadow.length; i++) {
            NDArray saved = state.get(PREFIX + names.get(i));
            if (saved != null) {
                saved.copyTo(shadow[i]);
            }
        }
    }

    /** After an optimizer step: shadow = d·shadow + (1 − d)·weights. */
    void update(NDList parameters) {
        double d = Math.min(decay, (1.0 + updates) / (10.0 + updates));
        for (int i = 0; i < shadow.length; i++) {
            if (frozen.freezes(names.get(i))) {
                continue;
            }
            NDArray scaled = parameters.get(i).mul(1 - d); // closed at once: never left in the model's manager
            shadow[i].muli(d).addi(scaled);
            scaled.close();
        }
        updates++;
    }

    /** The averaged weights for the checkpoint, keyed {@value #PREFIX}parameter. */
    Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        for (int i = 0; i < shadow.length; i++) {
            state.put(PREFIX + names.get(i), shadow[i]);
        }
        return state;
    }

    /** Runs {@code action} with the averaged weights in the model, then puts the trained ones back. */
    void withAveragedWeights(NDList parameters, Runnable action) {
        NDArray[] trained = new NDArray[shadow.length];
        try (NDManager swap = manager.newSubManager()) {
            for (int i = 0; i < shadow.length; i++) {
                trained[i] = parameters.get(i).duplicate();
                trained[i].attach(swap);
                shadow[i].copyTo(parameters.get(i));
            }
            try {
                action.run();
            } finally {
                for (int i = 0; i < shadow.length; i++) {
                    trained[i].copyTo(parameters.get(i));
                }
            }
        }
    }

    /** Leaves the averaged weights in the model (at the end of a run: the saved model is the average). */
    void copyInto(NDList parameters) {
        for (int i = 0; i < shadow.length; i++) {
            shadow[i].copyTo(parameters.get(i));
        }
    }

    @Override
    public void close() {
        for (NDArray array : shadow) {
            array.close();
        }
    }
}
