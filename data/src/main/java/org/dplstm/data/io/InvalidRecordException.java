package org.dplstm.data.io;

/**
 * A record that cannot be read. It is an {@link IllegalArgumentException} (bad input, exit code 2
 * from the command line) whose message is one line: {@code file:line: problem}.
 */
public final class InvalidRecordException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long line;
    private final ReadProblem problem;

    public InvalidRecordException(String source, long line, ReadProblem problem, String detail) {
        super(source + ":" + line + ": " + detail);
        this.source = source;
        this.line = line;
        this.problem = problem;
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }

    public ReadProblem problem() {
        return problem;
    }
}
