package org.dplstm.spark;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.parallel.ClusterEngine;

/**
 * Apache Spark as the command line's cluster engine (found through {@link java.util.ServiceLoader}):
 * a session on the given master with the UI off and speculative execution off, its steps computed
 * by {@link SparkStepSums} and its Parquet read by {@link SparkRecords}.
 */
public final class SparkClusterEngine implements ClusterEngine {

    /** Loggers of Spark and what it brings, quiet unless something fails (they log through slf4j-simple). */
    private static final List<String> NOISY_LOGGERS = List.of("org.apache.spark", "org.apache.hadoop",
            "org.apache.parquet", "org.sparkproject", "io.netty", "org.apache.commons");

    @Override
    public Cluster connect(String master, int partitions) {
        SparkMasters.check(master);
        SparkSession spark;
        try {
            spark = session(master);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot start Spark on master " + master + ": " + firstLine(e), e);
        }
        return new SparkCluster(spark, partitions);
    }

    /**
     * A session on {@code master} as training needs it: no UI, no speculative copies of tasks, and
     * Spark's loggers at error level (set before Spark makes its first logger).
     */
    public static SparkSession session(String master) {
        for (String logger : NOISY_LOGGERS) {
            System.setProperty("org.slf4j.simpleLogger.log." + logger, "error");
        }
        return SparkSession.builder()
                .master(master)
                .appName("dplstm train")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.speculation", "false")
                .getOrCreate();
    }

    private static String firstLine(Throwable error) {
        String message = String.valueOf(error.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /** A running session. */
    private record SparkCluster(SparkSession spark, int partitions) implements Cluster {

        @Override
        public StepSums.Factory stepSums() {
            SparkStepSums.Builder builder = SparkStepSums.builder(spark);
            return partitions > 0 ? builder.optPartitions(partitions).build() : builder.build();
        }

        @Override
        public List<TextRecord> readParquet(Path input, ReadOptions columns) {
            return SparkRecords.readParquet(spark, input, columns);
        }

        @Override
        public void close() {
            spark.stop();
        }
    }
}
