package org.dplstm.audit.verify;

/**
 * A record disagrees with what it should agree with: an artefact or report with its verified
 * audit log, or a ledger that cannot be read completely. The command line exits with 6 and prints
 * the message as one line.
 */
public class IntegrityException extends RuntimeException {

    public IntegrityException(String message) {
        super(message);
    }
}
