package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gradient collectors that threads take turns with. DJL's PyTorch engine allows one collector per
 * process at a time (a static flag; a second thread's collector throws), while a step's sum may be
 * computed by several threads of one process: devices of one host, or the tasks of one Spark
 * executor. A thread holds the lock only while its collector is open.
 */
public final class GradientCollectors {

    private static final ReentrantLock LOCK = new ReentrantLock();

    private GradientCollectors() {}

    /** A new collector of {@code work}'s engine, held by this thread alone until closed. */
    public static GradientCollector exclusive(NDManager work) {
        LOCK.lock();
        try {
            return new Held(work.getEngine().newGradientCollector());
        } catch (RuntimeException | Error e) {
            LOCK.unlock();
            throw e;
        }
    }

    private record Held(GradientCollector collector) implements GradientCollector {

        @Override
        public void backward(NDArray target) {
            collector.backward(target);
        }

        @Override
        public void zeroGradients() {
            collector.zeroGradients();
        }

        @Override
        public void close() {
            try {
                collector.close();
            } finally {
                LOCK.unlock();
            }
        }
    }
}
