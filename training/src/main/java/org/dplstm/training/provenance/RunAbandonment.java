package org.dplstm.training.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.ledger.LedgerEntry;
import org.dplstm.audit.ledger.LedgerRun;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.ChainScan;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.audit.log.EventTypes;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.run.RunLock;
import org.dplstm.audit.verify.RunArtefacts;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyEvent;

/**
 * Releases a run that was killed and will not be resumed (ARCHITECTURE §6): its reservation in
 * the ledger is settled with what it spent until it stopped, taken from its verified audit log.
 * What a run has released is what its files and log hold: the privacy events of its last
 * checkpoint event (the checkpoint is on disk before that event is written, and every epoch's
 * figures come after it) or of a later non_finite event (steps after that checkpoint, whose
 * outcome the event tells), or, when it stopped before its first checkpoint, its earlier
 * mechanisms alone (a DP vocabulary selection).
 */
public final class RunAbandonment {

    private RunAbandonment() {}

    /**
     * Records in {@code ledgerFile} that the run in {@code runDir} is abandoned, with its spending
     * so far; returns the line appended.
     *
     * @throws IllegalArgumentException while a process writes the run, when its log does not verify
     *     with {@code key} or ends with run_end (a resume records its end instead), or when the
     *     ledger holds no reservation for it
     */
    public static LedgerEntry abandon(Path runDir, AuditKey key, Path ledgerFile) throws IOException {
        try (RunLock lock = RunLock.acquire(runDir)) {
            ChainScan scan = AuditTrail.scan(runDir, key);
            if (scan.lastType().orElse("").equals(EventTypes.RUN_END)) {
                throw new IllegalArgumentException("the run in " + runDir + " has finished (its audit log ends with "
                        + EventTypes.RUN_END + "): 'dplstm train --resume " + runDir + "' records its end instead");
            }
            ObjectNode start = scan.events().get(0);
            if (!start.path("noise_multiplier").isNumber()) {
                throw new IllegalArgumentException("the run in " + runDir + " was trained without privacy: the ledger "
                        + "holds nothing for it");
            }
            requireCheckpointOfLastEvent(runDir, scan);
            AccountantKind kind = AccountantKind.parse(start.path("accountant").asText());
            double delta = start.path("delta").asDouble();
            List<PrivacyEvent> spent = spentSoFar(scan);
            LedgerEntry abandonment = LedgerEntry.abandonment(start.path("run_id").asText(),
                    runDir.toAbsolutePath().toString(), start.path("dataset_fingerprint").asText(), kind, delta,
                    AuditTrail.epsilonOf(kind, spent, delta), spent, scan.lastHash());
            Ledger ledger = AuditTrail.openLedger(ledgerFile);
            Optional<LedgerRun> recorded = ledger.run(abandonment.runId());
            if (recorded.isPresent()) {
                AuditTrail.requireRecordedDirectory(recorded.get(), runDir, "abandoned");
            }
            ledger.abandon(abandonment);
            return abandonment;
        }
    }

    /**
     * Refuses (bad input) a run whose checkpoint in place is not the one its log's last checkpoint
     * event names. A checkpoint is synced under its temporary name, logged, then renamed into
     * place (ARCHITECTURE §6), so after a kill the file in place, or the one left under its
     * temporary name, is the last one logged; any other means lines were cut off the log's end,
     * which looks like an earlier crash and would count fewer steps than the run took.
     */
    private static void requireCheckpointOfLastEvent(Path runDir, ChainScan scan) throws IOException {
        Path checkpoint = RunFiles.of(runDir).file(RunFiles.CHECKPOINT);
        if (!Files.isRegularFile(checkpoint)) {
            return;
        }
        Optional<ObjectNode> last = scan.lastOfType(EventTypes.CHECKPOINT);
        if (last.isPresent()) {
            String logged = RunArtefacts.recordedBy(last.get()).get(RunFiles.CHECKPOINT);
            Path pending = AtomicFile.temporaryOf(checkpoint);
            if (logged == null // an older build's event binds no files; spentSoFar refuses it
                    || logged.equals(DatasetFingerprint.sha256Of(checkpoint))
                    || Files.isRegularFile(pending) && logged.equals(DatasetFingerprint.sha256Of(pending))) {
                return;
            }
        }
        throw new IllegalArgumentException("refusing to abandon " + runDir + ": " + checkpoint + (last.isPresent()
                ? " differs from the checkpoint its audit log's last checkpoint event records"
                : " exists, but its audit log records no checkpoint") + ": lines were cut off the end of the log, and "
                + "abandoning would count fewer steps than the run took; restore the log");
    }

    /**
     * The privacy events of the last checkpoint or non_finite event (a run stopped on non-finite
     * weights logged steps after its last checkpoint), else the run's earlier mechanisms.
     */
    private static List<PrivacyEvent> spentSoFar(ChainScan scan) {
        Optional<ObjectNode> lastSpending = scan.events().stream()
                .filter(e -> e.path("type").asText().equals(EventTypes.CHECKPOINT)
                        || e.path("type").asText().equals(EventTypes.NON_FINITE) && e.has("privacy_events"))
                .reduce((a, b) -> b);
        if (lastSpending.isPresent() && lastSpending.get().has("privacy_events")) {
            return PrivacyEventJson.listFromJson(lastSpending.get().get("privacy_events"));
        }
        if (lastSpending.isPresent()) {
            throw new IllegalArgumentException("the run's checkpoint events do not record what it spent (written by an "
                    + "older build): resume it to its end instead");
        }
        List<PrivacyEvent> prior = new ArrayList<>();
        for (JsonNode cost : scan.events().get(0).path("config").path("prior_costs")) {
            prior.addAll(PrivacyEventJson.listFromJson(cost.get("events")));
        }
        return prior;
    }
}
