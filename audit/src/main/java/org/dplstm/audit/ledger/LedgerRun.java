package org.dplstm.audit.ledger;

import java.util.List;
import java.util.Optional;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.privacy.PrivacyEvent;

/**
 * A run as the ledger's lines add up: its latest line decides (a completion over everything, an
 * abandonment over the reservation), and {@link #privacyEvents} is what counts against its
 * dataset: planned while reserved, spent once complete or abandoned.
 *
 * @param epsilon the run's own ε under its accountant at its δ, as its latest line states it
 * @param time when its latest line was appended
 */
public record LedgerRun(String runId, String runDir, String datasetFingerprint, String accountant, double delta,
        LedgerLookup.Status status, double epsilon, List<PrivacyEvent> privacyEvents, Optional<String> finalLogHash,
        String time) implements LedgerLookup.Recorded {

    public LedgerRun {
        privacyEvents = List.copyOf(privacyEvents);
    }

    /** This run with {@code entry} (a later line about it) taken into account. */
    LedgerRun with(LedgerEntry entry) {
        if (status == LedgerLookup.Status.COMPLETE && entry.kind() != LedgerEntry.Kind.COMPLETION) {
            return this; // a completion records everything the run spent
        }
        return of(entry);
    }

    static LedgerRun of(LedgerEntry entry) {
        LedgerLookup.Status status = switch (entry.kind()) {
            case RESERVATION -> LedgerLookup.Status.RESERVED;
            case COMPLETION -> LedgerLookup.Status.COMPLETE;
            case ABANDONMENT -> LedgerLookup.Status.ABANDONED;
        };
        return new LedgerRun(entry.runId(), entry.runDir(), entry.datasetFingerprint(), entry.accountant(),
                entry.delta(), status, entry.epsilon(), entry.privacyEvents(),
                entry.logHash().isEmpty() ? Optional.empty() : Optional.of(entry.logHash()), entry.time());
    }
}
