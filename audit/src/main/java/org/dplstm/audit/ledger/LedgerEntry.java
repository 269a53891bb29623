package org.dplstm.audit.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.PrivacyEvent;

/**
 * One line of the ledger (ARCHITECTURE §6): a run's reservation when it starts (its planned
 * privacy events), its completion when it ends (everything it spent, and the final hash of its
 * audit log, so a log cut at its end no longer matches), or its abandonment (what it spent until
 * it was killed, and the log's hash then). Each carries the dataset, the run's directory, its own
 * (ε, δ) and accountant.
 *
 * @param time when the line was appended (ISO-8601 UTC), empty for a line not yet written
 */
public record LedgerEntry(
        Kind kind,
        String runId,
        String runDir,
        String datasetFingerprint,
        String accountant,
        double delta,
        double epsilon,
        List<PrivacyEvent> privacyEvents,
        String logHash,
        String time) {

    /** What a line records, by its {@code type}. */
    public enum Kind {
        RESERVATION("reservation"),
        COMPLETION("run"),
        ABANDONMENT("abandon");

        private final String type;

        Kind(String type) {
            this.type = type;
        }

        /** The line's {@code type}. */
        public String type() {
            return type;
        }

        static Kind ofType(String type) {
            return Arrays.stream(values()).filter(k -> k.type.equals(type)).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("ledger line type must be one of reservation, run, abandon, was "
                            + type));
        }
    }

    public LedgerEntry {
        Objects.requireNonNull(kind, "kind");
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
        logHash = logHash == null ? "" : logHash;
        if (kind == Kind.RESERVATION ? !logHash.isEmpty() : !logHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("log hash must be 64 lower-case hex digits (none for a reservation), was "
                    + logHash);
        }
        time = time == null ? "" : time;
    }

    /** A run starting: its planned events count against the dataset from now on. */
    public static LedgerEntry reservation(String runId, String runDir, String datasetFingerprint,
            AccountantKind accountant, double delta, double plannedEpsilon, List<? extends PrivacyEvent> plannedEvents) {
        return new LedgerEntry(Kind.RESERVATION, runId, runDir, datasetFingerprint, accountant.id(), delta,
                plannedEpsilon, List.copyOf(plannedEvents), "", "");
    }

    /** A run that ended: what it spent, and its log's final hash; the ledger stamps the time. */
    public static LedgerEntry completion(String runId, String runDir, String datasetFingerprint,
            AccountantKind accountant, double delta, double epsilon, List<? extends PrivacyEvent> privacyEvents,
            String logHash) {
        return new LedgerEntry(Kind.COMPLETION, runId, runDir, datasetFingerprint, accountant.id(), delta, epsilon,
                List.copyOf(privacyEvents), logHash, "");
    }

    /** A killed run released: what it spent until then, and its log's last hash. */
    public static LedgerEntry abandonment(String runId, String runDir, String datasetFingerprint,
            AccountantKind accountant, double delta, double spentEpsilon, List<? extends PrivacyEvent> spentEvents,
            String logHash) {
        return new LedgerEntry(Kind.ABANDONMENT, runId, runDir, datasetFingerprint, accountant.id(), delta,
                spentEpsilon, List.copyOf(spentEvents), logHash, "");
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
        if (kind != Kind.RESERVATION) {
            fields.put("log_hash", logHash);
        }
        return fields;
    }

    static LedgerEntry fromJson(JsonNode node) {
        return new LedgerEntry(
                Kind.ofType(node.path("type").asText()),
                node.path("run_id").asText(),
                node.path("run_dir").asText(),
                node.path("dataset_fingerprint").asText(),
                node.path("accountant").asText(),
                node.path("delta").asDouble(),
                node.path("epsilon").asDouble(),
                PrivacyEventJson.listFromJson(node.get("privacy_events")),
                node.path("log_hash").asText(""),
                node.path("time").asText());
    }
}
