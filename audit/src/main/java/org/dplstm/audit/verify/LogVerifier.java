package org.dplstm.audit.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.ChainProblem;
import org.dplstm.audit.log.ChainScan;
import org.dplstm.audit.log.ChainScanner;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.log.EventTypes;
import org.dplstm.audit.log.TornTail;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.run.RunLock;

/**
 * Checks an audit log: every line's hash (or HMAC), its {@code seq}, its link to the previous
 * line, the log's head, how it ends, that the run directory's artefacts are the files run_end
 * binds (by name and SHA-256: a swapped model or a log copied from another run is tampering), and
 * (when the ledger has the run) that its last hash is the one recorded at run end.
 *
 * <p>Threat model: without a key, the chain catches corruption and naive edits, but whoever can
 * write the file can recompute every hash after an edit. With an HMAC key kept outside the run
 * directory, edits need the key. Neither can see lines cut off at the end; the ledger's final hash
 * can, for runs that reached it.
 */
public final class LogVerifier {

    private LogVerifier() {}

    /**
     * Bad input unless {@code log} could be a dplstm audit log at all: some line must bear a log
     * record's mark ({@link ChainedLines#anyLineBearsRecordMark}). A real log that was edited,
     * truncated or emptied passes, for {@link #verify} to call it tampered or incomplete, unless every
     * line was replaced; so callers apply this only to a file the user named, never to a run
     * directory's own log, which is judged whatever it holds. A file of other data (a CSV, a data
     * file, text) fails, naming it.
     */
    public static void requireAuditLog(Path log) throws IOException {
        try (InputStream content = new BufferedInputStream(Files.newInputStream(log))) {
            if (!ChainedLines.anyLineBearsRecordMark(content)) {
                throw new IllegalArgumentException(log + " is not a dplstm audit log: no line of it is a log record"
                        + " (a record is a JSON object beginning {\"seq\": and ending with its \"hash\" member)");
            }
        }
    }

    /** Verifies {@code log} (the audit.jsonl file); its lock file is looked for beside it. */
    public static VerificationResult verify(Path log, AuditKey key, LedgerLookup ledger) throws IOException {
        if (!Files.isRegularFile(log)) {
            throw new IllegalArgumentException("audit log must be a readable file, was " + log);
        }
        ChainScan scan = ChainScanner.scan(log, key.newHasher());
        List<String> notes = new ArrayList<>();
        Optional<String> runId = runId(scan);
        long events = scan.events().size();
        for (ObjectNode event : scan.events()) {
            String type = event.path("type").asText();
            long seq = event.path("seq").asLong();
            if (type.equals(EventTypes.TORN_TAIL_REPAIRED)) {
                notes.add("line " + seq + ": a torn line of " + event.path("torn_bytes").asLong()
                        + " bytes (sha256 " + event.path("torn_sha256").asText()
                        + ") was cut off after a crash and recorded here on resume");
            } else if (type.equals(EventTypes.RESUME)) {
                notes.add("line " + seq + ": run resumed from checkpoint '" + event.path("checkpoint").asText()
                        + "' at step " + event.path("steps").asLong());
            }
        }
        if (scan.problem().isPresent()) {
            ChainProblem problem = scan.problem().get();
            VerificationResult.Status status = problem.kind() == ChainProblem.Kind.KEY_REQUIRED
                    ? VerificationResult.Status.KEY_REQUIRED : VerificationResult.Status.TAMPERED;
            return new VerificationResult(status, problem.lineNumber(), problem.toString(), notes, events,
                    scan.lastHash(), runId);
        }
        boolean ended = scan.tornTail().isEmpty() && scan.lastType().orElse("").equals(EventTypes.RUN_END);
        if (ended) {
            // The artefacts first: a log copied from another run must not be vouched for by the ledger.
            Optional<String> unbound = unboundArtefact(log.toAbsolutePath().getParent(), scan, runId, notes);
            if (unbound.isPresent()) {
                return new VerificationResult(VerificationResult.Status.TAMPERED, events, "line " + events + ": "
                        + unbound.get(), notes, events, scan.lastHash(), runId);
            }
        }
        Optional<? extends LedgerLookup.Recorded> recorded = runId.flatMap(ledger::recorded);
        Optional<String> recordedHash = recorded.flatMap(LedgerLookup.Recorded::finalLogHash);
        if (recordedHash.isPresent()) {
            if (!recordedHash.get().equals(scan.lastHash())) {
                long line = Math.max(1, events);
                return new VerificationResult(VerificationResult.Status.TAMPERED, line,
                        "line " + line + ": the log ends with hash " + scan.lastHash()
                                + " but the ledger recorded " + recordedHash.get() + " for run " + runId.get()
                                + ": the log was changed after the run " + (recorded.get().status()
                                        == LedgerLookup.Status.ABANDONED ? "was abandoned" : "ended")
                                + " (lines cut off or added, or edited and the hash chain recomputed)",
                        notes, events, scan.lastHash(), runId);
            }
            notes.add(recorded.get().status() == LedgerLookup.Status.ABANDONED
                    ? "ledger: run " + runId.get() + " was abandoned at this log's final hash; what it spent until then counts"
                    : "ledger: the log's final hash matches the one recorded for run " + runId.get());
        } else if (recorded.isPresent()) {
            if (ended) {
                // The run wrote run_end and stopped before recording its end in the ledger: not complete.
                return unfinished(log, events, "line " + events + ": the log ends with " + EventTypes.RUN_END
                        + ", but the ledger holds only the reservation of run " + runId.get() + " (its planned epsilon "
                        + "counts): the run stopped before it recorded its end there; 'dplstm train --resume "
                        + log.toAbsolutePath().getParent() + "' records it", notes, scan, runId);
            }
            notes.add("ledger: run " + runId.get() + " is reserved: its planned epsilon counts until it is resumed to "
                    + "its end or released with 'dplstm ledger abandon RUN_DIR'");
        } else if (runId.isPresent()) {
            notes.add("ledger: no entry for run " + runId.get() + ", so lines cut off at the end would go unnoticed");
        }
        if (scan.tornTail().isPresent()) {
            TornTail torn = scan.tornTail().get();
            return unfinished(log, torn.lineNumber(), "line " + torn.lineNumber() + ": torn last line ("
                    + torn.length() + " bytes without a newline, sha256 " + torn.sha256()
                    + "): the writer stopped mid-line", notes, scan, runId);
        }
        if (events == 0) {
            return unfinished(log, 1, "line 1: the log is empty", notes, scan, runId);
        }
        if (!scan.lastType().orElse("").equals(EventTypes.RUN_END)) {
            return unfinished(log, events, "line " + events + ": the log ends without " + EventTypes.RUN_END,
                    notes, scan, runId);
        }
        return new VerificationResult(VerificationResult.Status.INTACT, 0,
                events + " events, chain intact, ends with " + EventTypes.RUN_END, notes, events,
                scan.lastHash(), runId);
    }

    /**
     * Why the run directory's files are not the ones run_end binds (the first reason; the others
     * are added to {@code notes}), or empty when they are.
     */
    private static Optional<String> unboundArtefact(Path dir, ChainScan scan, Optional<String> runId, List<String> notes)
            throws IOException {
        ObjectNode end = scan.events().get(scan.events().size() - 1);
        String endRunId = end.path("run_id").asText(runId.orElse(""));
        if (!runId.map(endRunId::equals).orElse(false)) {
            return Optional.of("run_end names run " + endRunId + " but run_start names " + runId.orElse("none"));
        }
        Map<String, String> recorded = RunArtefacts.recordedBy(end);
        if (!recorded.containsKey(RunFiles.MODEL)) {
            return Optional.of("run_end binds no " + RunFiles.MODEL + " (no sha256 of the model)");
        }
        List<String> mismatches = RunArtefacts.mismatches(dir, recorded);
        if (mismatches.isEmpty()) {
            notes.add("artefacts: " + String.join(", ", recorded.keySet()) + " match the hashes run_end records");
            return Optional.empty();
        }
        mismatches.subList(1, mismatches.size()).forEach(m -> notes.add("artefact: " + m));
        return Optional.of(mismatches.get(0));
    }

    private static VerificationResult unfinished(Path log, long line, String what, List<String> notes,
            ChainScan scan, Optional<String> runId) throws IOException {
        Path lock = log.resolveSibling(RunFiles.LOCK);
        if (RunLock.isHeld(log.toAbsolutePath().getParent())) {
            return new VerificationResult(VerificationResult.Status.IN_PROGRESS, line,
                    what + "; a writer holds " + lock + ", so the run is still going", notes,
                    scan.events().size(), scan.lastHash(), runId);
        }
        return new VerificationResult(VerificationResult.Status.INCOMPLETE, line,
                "incomplete (crash): " + what + " and no writer holds the lock", notes,
                scan.events().size(), scan.lastHash(), runId);
    }

    private static Optional<String> runId(ChainScan scan) {
        return scan.events().stream()
                .filter(e -> e.path("type").asText().equals(EventTypes.RUN_START))
                .map(e -> e.path("run_id").asText(null))
                .filter(id -> id != null)
                .findFirst();
    }
}
