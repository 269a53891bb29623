package org.dplstm.training.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * One model as the benchmark times it: its trainable arrays (updated in place) and the four ways
 * of computing a step's gradient sums the benchmark compares. Results live in the step's scope.
 */
interface BenchSubject extends AutoCloseable {

    NDList parameters();

    List<String> parameterNames();

    /** The non-private step's gradient: the engine's fused cell and a plain backward. */
    NDList plainGradient(NDManager step);

    /** The fused clipped sum with the method chosen for the device. */
    NDList fusedClippedSum(NDManager step, double clip);

    /** The fused clipped sum with the other gate-gradient method. */
    NDList otherClippedSum(NDManager step, double clip);

    /** The clipped sum one clipping unit at a time. */
    NDList loopClippedSum(NDManager step, double clip);

    String method();

    String otherMethod();

    @Override
    void close();
}
