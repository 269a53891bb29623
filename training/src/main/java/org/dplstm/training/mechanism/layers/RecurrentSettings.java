package org.dplstm.training.mechanism.layers;

import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.nn.recurrent.RecurrentBlock;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * How a DJL {@link RecurrentBlock} (LSTM or GRU) is built, read from its parameters ({@code
 * {l|r}_{layer}_{i2h|h2h}_{WEIGHT|BIAS}}, passed to the engine as they are: torch's gate order, i,
 * f, g, o or r, z, n) and, where DJL keeps them protected without a getter, from its fields.
 */
record RecurrentSettings(int layers, int directions, boolean hasBiases, boolean batchFirst, boolean returnState,
        float dropRate) {

    static RecurrentSettings of(RecurrentBlock block) {
        ParameterList parameters = block.getDirectParameters();
        int layers = 0;
        while (parameters.contains(name('l', layers, "i2h", "WEIGHT"))) {
            layers++;
        }
        int directions = parameters.contains(name('r', 0, "i2h", "WEIGHT")) ? 2 : 1;
        boolean hasBiases = parameters.contains(name('l', 0, "i2h", "BIAS"));
        return new RecurrentSettings(layers, directions, hasBiases, (Boolean) field(block, "batchFirst"),
                (Boolean) field(block, "returnState"), (Float) field(block, "dropRate"));
    }

    /** What keeps the block from being walked exactly, as sentences. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (returnState) {
            problems.add("returning its states (optReturnState(true)) is not supported; read the output sequence");
        }
        if (directions == 2 && hasBiases) {
            problems.add("bidirectional with biases does not run on DJL 0.36.0's PyTorch engine (the block passes"
                    + " its parameters in an order the engine reads differently); use optHasBiases(false)");
        }
        if (layers > 1 && dropRate > 0) {
            problems.add("dropout between stacked layers (optDropRate) is not supported; stack one-layer blocks"
                    + " with a Dropout block between them");
        }
        return problems;
    }

    /** One layer's and direction's weights, biases null when the block has none. */
    RecurrentWeights weights(RecurrentBlock block, int layer, int direction) {
        ParameterList parameters = block.getDirectParameters();
        char side = direction == 0 ? 'l' : 'r';
        return new RecurrentWeights(
                parameters.get(name(side, layer, "i2h", "WEIGHT")),
                parameters.get(name(side, layer, "h2h", "WEIGHT")),
                hasBiases ? parameters.get(name(side, layer, "i2h", "BIAS")) : null,
                hasBiases ? parameters.get(name(side, layer, "h2h", "BIAS")) : null);
    }

    private static String name(char direction, int layer, String kind, String type) {
        return direction + "_" + layer + "_" + kind + "_" + type;
    }

    private static Object field(RecurrentBlock block, String name) {
        try {
            Field field = RecurrentBlock.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(block);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read DJL's RecurrentBlock." + name
                    + " (this code reads DJL 0.36.0's fields): " + e, e);
        }
    }

    /** The four parameters of one layer and direction (biases null without biases). */
    record RecurrentWeights(Parameter inputWeight, Parameter recurrentWeight, Parameter inputBias,
            Parameter recurrentBias) {}
}
