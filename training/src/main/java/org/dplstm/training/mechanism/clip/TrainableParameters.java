package org.dplstm.training.mechanism.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A model's trainable parameters in DJL's order, each once (a block used twice, or a weight tied
 * to another block, lists its parameter once), with DJL's names: what clipped sums are ordered by
 * and what the optimizer updates. Frozen parameters (no gradient required) are left out.
 */
public final class TrainableParameters implements ParameterSet {

    private final List<Parameter> parameters;
    private final List<String> names;

    private TrainableParameters(List<Parameter> parameters, List<String> names) {
        this.parameters = List.copyOf(parameters);
        this.names = List.copyOf(names);
    }

    public static TrainableParameters of(Block model) {
        List<Parameter> parameters = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Pair<String, Parameter> pair : model.getParameters()) {
            Parameter parameter = pair.getValue();
            if (parameter.requiresGradient() && seen.add(parameter)) {
                parameters.add(parameter);
                names.add(pair.getKey());
            }
        }
        return new TrainableParameters(parameters, names);
    }

    public List<Parameter> list() {
        return parameters;
    }

    /** DJL's name of each parameter, parallel to {@link #list()}. */
    @Override
    public List<String> names() {
        return names;
    }

    public int size() {
        return parameters.size();
    }

    /** The parameters' current arrays (updated in place by the optimizer), parallel to {@link #list()}. */
    @Override
    public NDList arrays() {
        NDList arrays = new NDList(parameters.size());
        for (Parameter parameter : parameters) {
            NDArray array = parameter.getArray();
            if (array == null) {
                throw new IllegalStateException("parameter " + parameter.getName()
                        + " has no value: initialise the model first");
            }
            arrays.add(array);
        }
        return arrays;
    }

    boolean contains(Parameter parameter) {
        return parameters.stream().anyMatch(p -> p == parameter);
    }
}
