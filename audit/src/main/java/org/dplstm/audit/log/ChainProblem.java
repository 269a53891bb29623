package org.dplstm.audit.log;

/** The first line where a chained file stops verifying, and why. */
public record ChainProblem(Kind kind, long lineNumber, String message) {

    /** What the problem means for whoever reads the file. */
    public enum Kind {
        /** The file was edited, lines inserted, deleted, reordered, or the head removed. */
        TAMPERED,
        /** The file is HMAC-keyed and no key was given: it cannot be checked. */
        KEY_REQUIRED
    }

    @Override
    public String toString() {
        return "line " + lineNumber + ": " + message;
    }
}
