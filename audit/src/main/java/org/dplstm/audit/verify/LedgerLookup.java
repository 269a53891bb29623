package org.dplstm.audit.verify;

import java.util.Optional;

/** Where the verifier finds the final log hash recorded for a run (the ledger, in practice). */
@FunctionalInterface
public interface LedgerLookup {

    /** The final audit-log hash recorded for {@code runId}, or empty if the run is not recorded. */
    Optional<String> finalLogHash(String runId);

    /** No ledger: the log's end cannot be checked. */
    static LedgerLookup none() {
        return runId -> Optional.empty();
    }
}
