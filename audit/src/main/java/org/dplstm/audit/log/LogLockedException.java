package org.dplstm.audit.log;

import java.io.IOException;

/** Another writer holds a run directory's audit lock. */
public final class LogLockedException extends IOException {
    public LogLockedException(String message) {
        super(message);
    }
}
