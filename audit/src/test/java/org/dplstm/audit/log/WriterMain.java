package org.dplstm.audit.log;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A writer process for crash and lock tests: {@code WriterMain RUN_DIR EVENTS [hold]} opens the
 * log (resuming it if present), appends EVENTS epoch events as fast as it can, printing "ready"
 * after the first, then either ends the run, or with "hold" waits forever (holding the lock).
 * Exit code 75 when the log is locked by another writer.
 */
public final class WriterMain {

    public static void main(String[] args) throws Exception {
        Path runDir = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        boolean hold = args.length > 2 && args[2].equals("hold");
        try (AuditLog log = AuditLog.open(runDir, AuditKey.none())) {
            if (!log.resumed()) {
                log.runStart(SampleRun.runStart("crash-run", 0.01, 1.0, events));
            }
            for (int i = 1; i <= events; i++) {
                log.epoch(i, i, Map.of("rdp", 0.01 * i), 1.0, 0.5);
                if (i == 1) {
                    System.out.println("ready");
                    System.out.flush();
                }
            }
            if (hold) {
                Thread.sleep(Long.MAX_VALUE);
            }
            log.runEnd(SampleRun.runEnd(runDir, "crash-run", events, Map.of("rdp", 0.01 * events), List.of()));
        } catch (LogLockedException e) {
            System.out.println("locked: " + e.getMessage());
            System.exit(75);
        }
    }
}
