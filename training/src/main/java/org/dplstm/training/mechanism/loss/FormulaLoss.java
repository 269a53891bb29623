package org.dplstm.training.mechanism.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.function.BiFunction;
import java.util.function.ToLongBiFunction;

/** A {@link PerExampleLoss} given by its formulas; {@code correct} null when it has no accuracy. */
record FormulaLoss(String name, BiFunction<NDList, NDList, NDArray> perExample,
        ToLongBiFunction<NDList, NDList> correct) implements PerExampleLoss {

    @Override
    public NDArray perExample(NDList predictions, NDList labels) {
        return perExample.apply(predictions, labels);
    }

    @Override
    public boolean hasAccuracy() {
        return correct != null;
    }

    @Override
    public long correct(NDList predictions, NDList labels) {
        if (correct == null) {
            throw new UnsupportedOperationException(name + " has no accuracy");
        }
        return correct.applyAsLong(predictions, labels);
    }
}
