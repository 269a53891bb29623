package org.dplstm.audit.verify;

import java.util.Optional;

/** What the ledger records about a run, for the verifier (the ledger itself, in practice). */
@FunctionalInterface
public interface LedgerLookup {

    /** How far the ledger has recorded a run (ARCHITECTURE §6, the reservation protocol). */
    enum Status {
        /** Reserved when it started: its planned ε counts; not finished, not abandoned. */
        RESERVED,
        /** Finished: what it spent counts, and the log's final hash is recorded. */
        COMPLETE,
        /** Released with {@code ledger abandon}: what it spent up to then counts, with the log's hash then. */
        ABANDONED
    }

    /** A run as the ledger records it. */
    interface Recorded {
        Status status();

        /** The log's last hash at completion or abandonment; empty for a reservation. */
        Optional<String> finalLogHash();
    }

    /** The ledger's record of {@code runId}, or empty if it has none. */
    Optional<? extends Recorded> recorded(String runId);

    /** No ledger: the log's end cannot be checked. */
    static LedgerLookup none() {
        return runId -> Optional.empty();
    }
}
