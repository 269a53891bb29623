package org.dplstm.data.io;

/** Applies {@link OnError} to one invalid record: throw, or count it as skipped. */
final class ErrorPolicy {
    private final String source;
    private final OnError onError;
    private final SkipCounts skipped = new SkipCounts();

    ErrorPolicy(String source, OnError onError) {
        this.source = source;
        this.onError = onError;
    }

    /** Throws under {@link OnError#FAIL}; otherwise counts the record as skipped. */
    void invalid(long line, ReadProblem problem, String detail) {
        if (onError == OnError.FAIL) {
            throw new InvalidRecordException(source, line, problem, detail);
        }
        skipped.add(problem);
    }

    /** An error no policy can skip past (e.g. a missing header column): always throws. */
    InvalidRecordException fatal(long line, ReadProblem problem, String detail) {
        return new InvalidRecordException(source, line, problem, detail);
    }

    SkipCounts skipped() {
        return skipped;
    }

    String source() {
        return source;
    }
}
