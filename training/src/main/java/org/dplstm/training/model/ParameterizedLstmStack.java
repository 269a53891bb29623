package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.List;

/**
 * What every {@link LstmStackModel} holds: its config, the manager that owns its parameters, and
 * the parameters in {@link ParameterLayout}'s order with their names. The subclasses add only
 * their head (a classifier's or a language model's).
 */
abstract class ParameterizedLstmStack implements LstmStackModel {

    private final ModelConfig config;
    private final NDManager manager;
    private final NDList parameters;
    private final List<String> names;

    /** {@code kind} names the model in the message when the config is for another task. */
    ParameterizedLstmStack(ModelConfig config, ModelTask task, String kind, NDManager manager, NDList parameters) {
        if (config.task() != task) {
            throw new IllegalArgumentException("task must be " + task + " for " + kind + ", was " + config.task());
        }
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.names = Collections.unmodifiableList(ParameterLayout.names(config));
        ParameterLayout.check(config, parameters, names);
    }

    /** Arrays read from a model file, each in the config's data type. */
    static NDList inDataType(ModelConfig config, NDList params) {
        NDList typed = new NDList();
        for (NDArray p : params) {
            typed.add(p.getDataType() == config.dataType() ? p : p.toType(config.dataType(), false));
        }
        return typed;
    }

    @Override
    public final ModelConfig config() {
        return config;
    }

    @Override
    public final NDManager manager() {
        return manager;
    }

    @Override
    public final NDList parameters() {
        return parameters;
    }

    @Override
    public final List<String> parameterNames() {
        return names;
    }

    @Override
    public final void close() {
        manager.close();
    }
}
