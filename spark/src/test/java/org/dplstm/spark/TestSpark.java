package org.dplstm.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark session: local[2,2] (two cores; a failed task is retried once), UI and
 * speculation off, started once per JVM and again if a test (the command line) stopped it.
 */
public final class TestSpark {

    public static final String MASTER = "local[2,2]";

    private TestSpark() {}

    public static synchronized SparkSession session() {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
        if (active != null && !active.sparkContext().isStopped()) {
            return active;
        }
        return SparkClusterEngine.session(MASTER);
    }
}
