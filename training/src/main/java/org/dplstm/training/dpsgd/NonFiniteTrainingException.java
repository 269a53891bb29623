package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.Optional;

/**
 * Training stopped because the weights became non-finite (NaN or infinite), usually from a learning
 * rate too large for the model; or a model with such weights was about to be used. A stopped run
 * carries its result: the steps taken and their accountant history, which the session still
 * records (run_end, the ledger), because those steps spent privacy whatever became of the model.
 */
public final class NonFiniteTrainingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TrainingResult result;

    public NonFiniteTrainingException(String message) {
        this(message, null);
    }

    public NonFiniteTrainingException(String message, TrainingResult result) {
        super(message);
        this.result = result;
    }

    /** The stopped run's result (steps taken, privacy history), when a run stopped. */
    public Optional<TrainingResult> result() {
        return Optional.ofNullable(result);
    }

    /**
     * Whether every value of {@code arrays} is finite, from one sum per array and a single read
     * back (no per-element check on the host): NaN and infinities survive summation. Weights so
     * large that their float sum overflows count as non-finite too; they are as useless. The
     * sums live in the arrays' managers; call inside a scope that closes.
     */
    public static boolean allFinite(NDList arrays) {
        NDArray total = null;
        for (NDArray array : arrays) {
            NDArray sum = array.sum().toType(DataType.FLOAT64, false);
            total = total == null ? sum : total.add(sum);
        }
        return total == null || Double.isFinite(total.getDouble());
    }
}
