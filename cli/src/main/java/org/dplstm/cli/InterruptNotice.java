package org.dplstm.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dplstm.audit.run.RunFiles;

/**
 * While a training runs, a shutdown hook that tells a user who stops it (Ctrl-C, SIGTERM) what was
 * left: a run directory that {@code train --resume} continues, whose planned ε the ledger keeps
 * reserved until the run ends or {@code ledger abandon} releases it (README, "Ledger"). Closed when
 * the training returns or fails, so an ordinary exit says nothing. The run's own files are made
 * safe by its checkpoints, not by this hook.
 */
final class InterruptNotice implements AutoCloseable {

    private final Thread hook;

    private InterruptNotice(Thread hook) {
        this.hook = hook;
    }

    /** Registers the notice for a run writing into {@code runDir}; {@code isPrivate}: the ledger holds a reservation. */
    static InterruptNotice during(Path runDir, boolean isPrivate, PrintStream err) {
        Thread hook = new Thread(() -> err.println(message(runDir, isPrivate)), "dplstm-interrupt-notice");
        Runtime.getRuntime().addShutdownHook(hook);
        return new InterruptNotice(hook);
    }

    static String message(Path runDir, boolean isPrivate) {
        if (!Files.exists(RunFiles.of(runDir).log())) {
            return "dplstm: stopped before the run started: nothing to resume in " + runDir;
        }
        return "dplstm: stopped; continue with: ./dplstm train --resume " + runDir
                + (isPrivate ? " (until it ends, the ledger keeps its planned epsilon reserved; ./dplstm ledger abandon "
                        + runDir + " releases a run that will not be resumed)" : "");
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping: the hook runs and says what was left
        }
    }
}
