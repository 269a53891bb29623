package org.dplstm.cli;

import picocli.CommandLine.Option;

/**
 * {@code --threads}: the engine's intra-op thread count (a picocli mixin shared by the commands
 * that run the engine). It must be applied before the engine loads, which reads it once.
 */
final class EngineThreads {

    /** The system property DJL's PyTorch engine reads when it loads. */
    static final String PROPERTY = "ai.djl.pytorch.num_threads";

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Engine intra-op threads; 0 keeps the engine's default (one per core). On a machine shared "
                    + "with other jobs, 1 avoids threads spinning while they wait for each other (default: ${DEFAULT-VALUE}).")
    int threads;

    /**
     * Checks the value and sets it for the engine, then makes the engine's start-up check
     * ({@link EngineSetup#requireUsable}); call before anything else touches the engine.
     */
    void apply() {
        setThreads();
        EngineSetup.requireUsable();
    }

    /** Checks the value and sets it for the engine, which reads it once when it loads. */
    void setThreads() {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0, was " + threads);
        }
        if (threads > 0) {
            System.setProperty(PROPERTY, Integer.toString(threads));
        }
    }
}
