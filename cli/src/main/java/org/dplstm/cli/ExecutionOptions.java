package org.dplstm.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dplstm.data.io.ParquetInput;
import org.dplstm.training.parallel.ClusterEngine;
import org.dplstm.training.parallel.DeviceSplitSums;
import picocli.CommandLine.Option;

/**
 * Where the steps run (a picocli mixin of {@code train}): in this process, split across several
 * GPUs of this host ({@code --gpus}), or on a Spark cluster ({@code --spark-master}). The privacy
 * plan, the noise (added once, here), the run directory and the audit trail are the same on each.
 */
final class ExecutionOptions {

    @Option(names = "--spark-master", paramLabel = "URL",
            description = "Compute each step's clipped sum on Apache Spark: local[N], spark://HOST:PORT, yarn or k8s://URL."
                    + " The noise is still added once, here (needs the dplstm-spark module: ./dplstm adds it).")
    String sparkMaster;

    @Option(names = "--spark-partitions", paramLabel = "N", defaultValue = "0",
            description = "Partitions of the training data on Spark (default: 0 = Spark's default parallelism).")
    int sparkPartitions;

    @Option(names = "--gpus", paramLabel = "N|all",
            description = "Split each step's sample across this many GPUs of this host (their clipped sums added on the first).")
    String gpus;

    /** Engine threads on a local Spark master: one per task core, unless --threads chose (before the engine loads). */
    void applyEngineThreads(EngineThreads threads) {
        if (sparkMaster != null && sparkMaster.startsWith("local") && threads.threads == 0) {
            System.setProperty(EngineThreads.PROPERTY, "1");
        }
    }

    /**
     * Refuses, for a model whose steps run in this process only, the device split and the cluster
     * (their replicas are recurrent models). A Parquet input is fine: without --spark-master its
     * Spark session only reads it.
     */
    private void requireInThisProcess(String model, String supported) {
        if (sparkMaster != null || gpus != null) {
            throw new IllegalArgumentException(model + " trains in this process: --spark-master and --gpus are for "
                    + supported);
        }
    }

    /**
     * Refuses what an encoder-decoder cannot use (bad input, before anything starts): the device
     * split and the cluster sum the clipped gradients of classifiers and language models only, and
     * pairs are read from JSONL, CSV or TSV.
     */
    void requireSupported(TrainingJob.Settings settings) {
        if (settings.ngramModel()) {
            requireInThisProcess("--model ngram", "recurrent models");
        }
        if (!settings.encoderDecoder()) {
            return;
        }
        if (sparkMaster != null || gpus != null) {
            throw new IllegalArgumentException("--task seq2seq trains in this process: --spark-master and --gpus are for"
                    + " classifiers and language models");
        }
        for (java.nio.file.Path input : Arrays.asList(settings.train(), settings.valid())) {
            if (input != null && ParquetInput.isParquet(input)) {
                throw new IllegalArgumentException("--task seq2seq reads pairs from JSONL, CSV or TSV, not Parquet, was "
                        + input);
            }
        }
    }

    /**
     * Checks the choice and starts what it needs; writes nothing. A Parquet input without
     * {@code --spark-master} starts a local Spark session only to read it.
     *
     * @param inputs the run's data files (null entries ignored)
     * @param device the run's {@code --device} (null: automatic)
     */
    Execution open(List<java.nio.file.Path> inputs, String device) {
        if (sparkPartitions < 0) {
            throw new IllegalArgumentException("--spark-partitions must be >= 0, was " + sparkPartitions);
        }
        if (sparkPartitions > 0 && sparkMaster == null) {
            throw new IllegalArgumentException("--spark-partitions needs --spark-master");
        }
        if (gpus != null) {
            if (sparkMaster != null) {
                throw new IllegalArgumentException("give --gpus or --spark-master, not both");
            }
            return Execution.onDevices(DeviceSplitSums.over(devices(gpus, device)));
        }
        boolean parquet = inputs.stream().anyMatch(path -> path != null && ParquetInput.isParquet(path));
        if (sparkMaster == null && !parquet) {
            return Execution.LOCAL;
        }
        ClusterEngine engine = ClusterEngine.find().orElseThrow(() -> new IllegalArgumentException(
                (sparkMaster != null ? "--spark-master" : "a Parquet input") + " needs the dplstm-spark module on the"
                        + " class path (./dplstm adds it; with java -cp add spark/target/dplstm-spark.jar and"
                        + " spark/target/lib/*)"));
        try {
            ClusterEngine.Cluster cluster = engine.connect(sparkMaster != null ? sparkMaster : "local[*]",
                    sparkPartitions);
            return Execution.onCluster(cluster, sparkMaster != null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--spark-master: " + e.getMessage(), e);
        }
    }

    /** GPUs 0..N-1 for {@code --gpus N|all}; bad input when the engine sees fewer. */
    private static List<Device> devices(String gpus, String device) {
        if (device != null && !device.equalsIgnoreCase("gpu")) {
            throw new IllegalArgumentException("--gpus trains on GPUs; --device must be gpu or left out, was " + device);
        }
        int visible = Engine.getInstance().getGpuCount();
        int wanted;
        if (gpus.toLowerCase(Locale.ROOT).equals("all")) {
            wanted = visible;
        } else {
            try {
                wanted = Integer.parseInt(gpus);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--gpus must be a count >= 1 or all, was " + gpus);
            }
            if (wanted < 1) {
                throw new IllegalArgumentException("--gpus must be a count >= 1 or all, was " + gpus);
            }
        }
        if (wanted < 1 || wanted > visible) {
            throw new IllegalArgumentException("--gpus must be at most the " + visible + " GPU(s) the engine sees, was "
                    + gpus + (visible == 0 ? " (see the README: PYTORCH_LIBRARY_PATH with a CUDA libtorch)" : ""));
        }
        List<Device> devices = new ArrayList<>(wanted);
        for (int i = 0; i < wanted; i++) {
            devices.add(Device.gpu(i));
        }
        return devices;
    }
}
