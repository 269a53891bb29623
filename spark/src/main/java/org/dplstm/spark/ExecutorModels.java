package org.dplstm.spark;

import ai.djl.ndarray.NDManager;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.model.LstmModels;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.pergrad.ModelClippers;

/**
 * The models an executor JVM keeps between steps: made once per run and task slot (tasks running
 * at the same time each borrow one), given the step's weights only when the step changes. The
 * few most recent runs are kept; an older run's models are closed.
 */
final class ExecutorModels {

    /** The system property DJL's PyTorch engine reads once, when it loads. */
    static final String ENGINE_THREADS = "ai.djl.pytorch.num_threads";
    private static final int RUNS_KEPT = 4;
    private static final Map<String, Pool> POOLS = new LinkedHashMap<>(8, 0.75f, true);

    private ExecutorModels() {}

    /** One model on this executor, and the step whose weights it holds. */
    static final class Replica implements AutoCloseable {
        final NDManager manager;
        final LstmStackModel model;
        final Clipper clipper;
        long loadedStep = -1;

        Replica(NDManager manager, LstmStackModel model) {
            this.manager = manager;
            this.model = model;
            this.clipper = ModelClippers.standard().clipperFor(model);
        }

        /** Holds the step's weights (copied once per step and model). */
        void load(StepInput input) {
            if (loadedStep != input.step()) {
                FlatWeights.load(input.weights(), model.parameters());
                loadedStep = input.step();
            }
        }

        @Override
        public void close() {
            model.close();
            manager.close();
        }
    }

    private static final class Pool {
        final Deque<Replica> idle = new ArrayDeque<>();
        boolean closed;

        void close() {
            closed = true;
            idle.forEach(Replica::close);
            idle.clear();
        }
    }

    static Replica borrow(RunSpec run) {
        synchronized (POOLS) {
            Pool pool = POOLS.computeIfAbsent(run.runId(), id -> new Pool());
            evictOldRuns();
            Replica idle = pool.idle.poll();
            if (idle != null) {
                return idle;
            }
        }
        matchEngineThreadsToTaskCores();
        NDManager manager = NDManager.newBaseManager();
        try {
            return new Replica(manager, LstmModels.create(run.config(), manager, 0));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    static void giveBack(RunSpec run, Replica replica) {
        synchronized (POOLS) {
            Pool pool = POOLS.get(run.runId());
            if (pool == null || pool.closed) {
                replica.close();
            } else {
                pool.idle.push(replica);
            }
        }
    }

    /** Closes the models of a finished run (called by the driver's close in local mode, else left to eviction). */
    static void release(String runId) {
        synchronized (POOLS) {
            Pool pool = POOLS.remove(runId);
            if (pool != null) {
                pool.close();
            }
        }
    }

    private static void evictOldRuns() {
        Iterator<Map.Entry<String, Pool>> runs = POOLS.entrySet().iterator();
        while (POOLS.size() > RUNS_KEPT && runs.hasNext()) {
            runs.next().getValue().close();
            runs.remove();
        }
    }

    /**
     * Engine threads = the task's cores (spark.task.cpus), set before the engine loads in this JVM
     * unless already chosen (on a local master the driver's command line has chosen).
     */
    private static void matchEngineThreadsToTaskCores() {
        TaskContext task = TaskContext.get();
        if (System.getProperty(ENGINE_THREADS) == null && task != null) {
            System.setProperty(ENGINE_THREADS, Integer.toString(task.cpus()));
        }
    }
}
