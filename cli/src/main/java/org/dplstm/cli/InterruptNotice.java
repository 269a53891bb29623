package org.dplstm.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dplstm.audit.run.RunFiles;

/**
 * While a training runs, a shutdown hook that tells a user who stops it (Ctrl-C, SIGTERM) what was
 * left: a run that {@code train --resume} continues from its last checkpoint, or one that cannot be
 * resumed (no checkpoint yet, or a tuned run, which keeps none); for a private run, that the ledger
 * keeps its planned ε reserved until it ends or {@code ledger abandon} releases it (README,
 * "Ledger"). Closed when the training returns or fails, so an ordinary exit says nothing. The run's
 * own files are made safe by its checkpoints, not by this hook.
 */
final class InterruptNotice implements AutoCloseable {

    private final Thread hook;

    private InterruptNotice(Thread hook) {
        this.hook = hook;
    }

    /**
     * Registers the notice for a run writing into {@code runDir}.
     *
     * @param isPrivate the ledger holds a reservation for the run
     * @param keepsCheckpoints false for a run that keeps none (a tuned run's trials run in one go)
     */
    static InterruptNotice during(Path runDir, boolean isPrivate, boolean keepsCheckpoints, PrintStream err) {
        Thread hook = new Thread(() -> err.println(message(runDir, isPrivate, keepsCheckpoints)),
                "dplstm-interrupt-notice");
        Runtime.getRuntime().addShutdownHook(hook);
        return new InterruptNotice(hook);
    }

    static String message(Path runDir, boolean isPrivate, boolean keepsCheckpoints) {
        RunFiles files = RunFiles.of(runDir);
        if (!Files.exists(files.log())) {
            return "dplstm: stopped before the run started: nothing to resume in " + runDir;
        }
        String abandon = isPrivate ? "; ./dplstm ledger abandon " + runDir + " releases its reserved epsilon" : "";
        if (!keepsCheckpoints || !Files.exists(files.checkpoint())) {
            return "dplstm: stopped; " + runDir + " cannot be resumed ("
                    + (keepsCheckpoints ? "it had no checkpoint yet" : "a tuned run keeps no checkpoint") + ")" + abandon;
        }
        return "dplstm: stopped; continue with: ./dplstm train --resume " + runDir
                + (isPrivate ? " (until it ends, the ledger keeps its planned epsilon reserved; ./dplstm ledger abandon "
                        + runDir + " releases a run that will not be resumed)" : "");
    }

    /** Removes the hook: the training ended (or failed with its own message) before the JVM was stopped. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already stopping: the hook runs and says what was left
        }
    }
}
