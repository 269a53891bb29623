package org.dplstm.audit.verify;

import java.util.List;
import java.util.Optional;

/**
 * The verdict on one audit log.
 *
 * @param status the verdict; {@link Status#exitCode()} is what {@code audit verify} returns
 * @param badLine the first line that failed (1-based), or 0 when none did
 * @param message one sentence for the person reading it
 * @param notes facts worth knowing that are not failures (repairs, resumes, ledger match)
 * @param events number of verified events
 * @param lastHash hash of the last verified line
 * @param runId the run id from run_start, if the log has one
 */
public record VerificationResult(
        Status status, long badLine, String message, List<String> notes, long events, String lastHash,
        Optional<String> runId) {

    public VerificationResult {
        notes = List.copyOf(notes);
    }

    /** Verdicts and their exit codes (documented in {@code audit verify --help}). */
    public enum Status {
        /** Every line verifies and the log ends with run_end (and matches the ledger if it has the run). */
        INTACT(0),
        /** A line was modified, inserted, deleted, duplicated or reordered, the head is missing, or the end does not match the ledger. */
        TAMPERED(1),
        /** The log is HMAC-keyed and no key was given. */
        KEY_REQUIRED(2),
        /** The chain verifies but ends in a torn line or without run_end, and nobody writes it: a crash. */
        INCOMPLETE(3),
        /** The chain verifies so far and a writer holds the lock: the run is still going. */
        IN_PROGRESS(4);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public int exitCode() {
        return status.exitCode();
    }
}
