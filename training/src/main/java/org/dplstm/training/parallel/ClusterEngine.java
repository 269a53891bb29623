package org.dplstm.training.parallel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.StepSums;

/**
 * A cluster engine the command line can train on, found on the class path only when asked for:
 * the {@code dplstm-spark} module provides Apache Spark's, and {@code ./dplstm} adds that module
 * to the class path only for {@code --spark-master} or a Parquet input, so a plain run never
 * loads it.
 */
public interface ClusterEngine {

    /**
     * Starts a session on {@code master} (writes nothing the user owns).
     *
     * @param partitions how many parts the training data is split into (0: the engine's default)
     * @throws IllegalArgumentException for a master that is malformed, unreachable or refuses the session
     */
    Cluster connect(String master, int partitions);

    /** The engine on the class path, if any. */
    static Optional<ClusterEngine> find() {
        return ServiceLoader.load(ClusterEngine.class).findFirst();
    }

    /** A running session: the steps' clipped sums, and reading tables (Parquet). */
    interface Cluster extends AutoCloseable {

        /** Each private step's clipped sum computed by the cluster; the noise stays with the trainer. */
        StepSums.Factory stepSums();

        /**
         * Records of a Parquet file or folder of part files, in a defined order (files by path,
         * rows in file order), with the named text, label and user columns.
         */
        List<TextRecord> readParquet(Path input, ReadOptions columns) throws IOException;

        @Override
        void close();
    }
}
