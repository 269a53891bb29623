package org.dplstm.audit.log;

import java.io.IOException;

/** An existing audit log (or ledger) does not verify, so it is not extended. */
public final class LogNotIntactException extends IOException {
    private final ChainProblem problem;

    public LogNotIntactException(String file, ChainProblem problem) {
        super(file + " does not verify, refusing to append: " + problem);
        this.problem = problem;
    }

    public ChainProblem problem() {
        return problem;
    }
}
