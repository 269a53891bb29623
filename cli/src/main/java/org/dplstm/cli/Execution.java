package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.data.io.ParquetInput;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.parallel.ClusterEngine;

/**
 * Where a run's steps are computed ({@link ExecutionOptions}) and the cluster session it holds,
 * if any (closed with it). Reads the run's data: Parquet through the cluster, anything else as
 * {@link TrainingJob.Settings#read} does.
 */
final class Execution implements AutoCloseable {

    static final Execution LOCAL = new Execution(null, null);

    private final StepSums.Factory stepSums;
    private final ClusterEngine.Cluster cluster;

    private Execution(StepSums.Factory stepSums, ClusterEngine.Cluster cluster) {
        this.stepSums = stepSums;
        this.cluster = cluster;
    }

    static Execution onDevices(StepSums.Factory split) {
        return new Execution(split, null);
    }

    /** A cluster session; {@code trainOnIt} false: only to read Parquet, the steps run here. */
    static Execution onCluster(ClusterEngine.Cluster cluster, boolean trainOnIt) {
        return new Execution(trainOnIt ? cluster.stepSums() : null, cluster);
    }

    /**
     * Bad input when the run asks for what a cluster's tasks do not do: they clip every parameter
     * to one fixed bound and count nothing (no --freeze, no --clip adaptive); nor does a --gpus
     * split or a cluster precondition (no --precondition).
     */
    void checkSupports(DpSgdConfig config) {
        if (stepSums != null && config.precondition().isPresent()) {
            throw new IllegalArgumentException("--precondition must be none with --gpus or --spark-master (its scale"
                    + " sits inside each unit's norm, which one process computes; a run trained with it resumes"
                    + " without them), was " + config.precondition().get());
        }
        if (stepsRunHere()) {
            return;
        }
        if (config.freeze() != FrozenPart.NONE) {
            throw new IllegalArgumentException("--freeze must be none with --spark-master (the cluster trains every"
                    + " parameter), was " + config.freeze().id());
        }
        if (config.clipQuantile().isPresent()) {
            throw new IllegalArgumentException("--clip must be fixed with --spark-master (the cluster clips to one"
                    + " bound), was adaptive");
        }
    }

    /**
     * False when a cluster computes the steps (its tasks train every parameter, to one fixed bound);
     * true for one device and for a --gpus split, whose steps run in this process.
     */
    boolean stepsRunHere() {
        return cluster == null || stepSums == null;
    }

    /**
     * Where each step's clipped sums are computed: a --gpus split (in this process, on several
     * devices) or a cluster's tasks; null: in this process on one device.
     */
    StepSums.Factory stepSums() {
        return stepSums;
    }

    List<TextRecord> read(TrainingJob.Settings settings, Path input) throws IOException {
        if (!ParquetInput.isParquet(input)) {
            return settings.read(input);
        }
        return cluster.readParquet(input, settings.readOptions());
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
