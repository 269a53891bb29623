package org.dplstm.audit.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.PrivacyEvent;

/**
 * One finished run in the ledger: which dataset, where the run lives, everything it spent (the
 * accountant's history, so later totals recompose it exactly), its own (ε, δ), and the final hash
 * of its audit log (so a log cut at its end no longer matches).
 *
 * @param time when the entry was appended (ISO-8601 UTC), empty for an entry not yet written
 */
public record LedgerEntry(
        String runId,
        String runDir,
        String datasetFingerprint,
        String accountant,
        double delta,
        double epsilon,
        List<PrivacyEvent> privacyEvents,
        String logHash,
        String time) {

    public LedgerEntry {
        Objects.requireNonNull(runId, "run id");
        Objects.requireNonNull(runDir, "run dir");
        if (datasetFingerprint == null || !datasetFingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "dataset fingerprint must be 64 lower-case hex digits, was " + datasetFingerprint);
        }
        AccountantKind.parse(accountant);
        Checks.openUnitInterval("delta", delta);
        Checks.nonNegative("epsilon", epsilon);
        privacyEvents = List.copyOf(privacyEvents);
        if (logHash == null || !logHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("log hash must be 64 lower-case hex digits, was " + logHash);
        }
        time = time == null ? "" : time;
    }

    /** An entry to append at run end; the ledger stamps the time. */
    public static LedgerEntry of(String runId, String runDir, String datasetFingerprint, AccountantKind accountant,
            double delta, double epsilon, List<? extends PrivacyEvent> privacyEvents, String logHash) {
        return new LedgerEntry(runId, runDir, datasetFingerprint, accountant.id(), delta, epsilon,
                List.copyOf(privacyEvents), logHash, "");
    }

    ObjectNode toFields() {
        ObjectNode fields = ChainedLines.mapper().createObjectNode();
        fields.put("run_id", runId);
        fields.put("run_dir", runDir);
        fields.put("dataset_fingerprint", datasetFingerprint);
        fields.put("accountant", accountant);
        fields.put("delta", delta);
        fields.put("epsilon", epsilon);
        fields.set("privacy_events", PrivacyEventJson.toJson(privacyEvents));
        fields.put("log_hash", logHash);
        return fields;
    }

    static LedgerEntry fromJson(JsonNode node) {
        return new LedgerEntry(
                node.path("run_id").asText(),
                node.path("run_dir").asText(),
                node.path("dataset_fingerprint").asText(),
                node.path("accountant").asText(),
                node.path("delta").asDouble(),
                node.path("epsilon").asDouble(),
                PrivacyEventJson.listFromJson(node.get("privacy_events")),
                node.path("log_hash").asText(),
                node.path("time").asText());
    }
}
