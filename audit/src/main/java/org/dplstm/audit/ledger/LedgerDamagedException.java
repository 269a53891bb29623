package org.dplstm.audit.ledger;

import org.dplstm.audit.verify.IntegrityException;

/**
 * The ledger cannot be read completely: a line does not verify, or the file ends in a torn line.
 * Nothing is appended to it and nothing rewrites it: what it records may be missing, so no run is
 * admitted against it until a person has looked.
 */
public final class LedgerDamagedException extends IntegrityException {

    public LedgerDamagedException(String message) {
        super(message);
    }
}
