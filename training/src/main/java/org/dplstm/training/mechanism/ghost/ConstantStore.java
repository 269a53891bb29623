package org.dplstm.training.mechanism.ghost;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.function.Function;

/**
 * A DJL parameter store that hands a block the values we choose instead of its parameters' own
 * arrays: so a block's own forward runs with constants (no gradient reaches the parameters) or
 * with substitutes (a LayerNorm with unit scale), and its definition stays DJL's.
 */
public final class ConstantStore extends ParameterStore {

    private final Function<Parameter, NDArray> values;

    public ConstantStore(NDManager manager, Function<Parameter, NDArray> values) {
        super(manager, false);
        this.values = values;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        return parameter == null ? null : values.apply(parameter);
    }
}
