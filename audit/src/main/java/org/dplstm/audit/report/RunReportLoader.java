package org.dplstm.audit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.AuditLog;
import org.dplstm.audit.log.ChainScan;
import org.dplstm.audit.log.ChainScanner;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.log.EventTypes;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.audit.verify.LogVerifier;
import org.dplstm.audit.verify.VerificationResult;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;

/** Reads a run directory into a {@link RunReport}. */
public final class RunReportLoader {

    public static final String REPORT_FILE = "report.json";
    public static final String PRIVACY_AUDIT_FILE = "privacy_audit.json";

    private RunReportLoader() {}

    /**
     * @throws IllegalArgumentException when RUN_DIR/report.json is missing or not a JSON object
     */
    public static RunReport load(Path runDir, AuditKey key, LedgerLookup ledger) throws IOException {
        Path reportFile = runDir.resolve(REPORT_FILE);
        if (!Files.isRegularFile(reportFile)) {
            throw new IllegalArgumentException("run directory must hold " + REPORT_FILE
                    + " (written when training ends), missing: " + reportFile);
        }
        JsonNode report = readObject(reportFile);

        Path logFile = AuditLog.logFile(runDir);
        Optional<VerificationResult> verification = Optional.empty();
        List<ObjectNode> events = List.of();
        if (Files.isRegularFile(logFile)) {
            verification = Optional.of(LogVerifier.verify(logFile, key, ledger));
            // Figures are read from the verified prefix only: nothing after a bad line is trusted.
            ChainScan scan = ChainScanner.scan(logFile, key.newHasher());
            events = scan.events();
        }
        ObjectNode runStart = firstOfType(events, EventTypes.RUN_START).orElse(ChainedLines.mapper().createObjectNode());
        Optional<ObjectNode> runEnd = lastOfType(events, EventTypes.RUN_END);

        boolean privateRun = report.path("private").asBoolean(!report.path("epsilon").isNull());
        String accountant = text(report, "accountant", runStart.path("accountant").asText(""));
        double delta = number(report, "delta", runStart.path("delta").asDouble(Double.NaN));
        double epsilon = privateRun ? number(report, "epsilon", Double.NaN) : Double.NaN;

        double recomputed = Double.NaN;
        if (privateRun && runEnd.isPresent() && !accountant.isEmpty() && delta > 0 && delta < 1) {
            PrivacyAccountant accountantForCheck = AccountantKind.parse(accountant).newAccountant();
            accountantForCheck.composeAll(PrivacyEventJson.listFromJson(runEnd.get().get("privacy_events")));
            recomputed = accountantForCheck.history().isEmpty() ? 0.0 : accountantForCheck.epsilon(delta);
        }

        List<EpsilonPoint> points = new ArrayList<>();
        for (ObjectNode event : events) {
            if (event.path("type").asText().equals(EventTypes.EPOCH)) {
                Map<String, Double> byAccountant = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = event.path("epsilon").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isNumber()) {
                        byAccountant.put(e.getKey(), e.getValue().asDouble());
                    }
                }
                points.add(new EpsilonPoint(event.path("steps").asLong(), byAccountant));
            }
        }

        Optional<JsonNode> privacyAudit = Optional.empty();
        Path auditFile = runDir.resolve(PRIVACY_AUDIT_FILE);
        if (Files.isRegularFile(auditFile)) {
            privacyAudit = Optional.of(readObject(auditFile));
        }

        return new RunReport(
                runDir.toString(),
                Optional.ofNullable(runStart.path("run_id").asText(null)),
                privateRun,
                epsilon,
                report.path("epsilon_breakdown").isObject() ? report.get("epsilon_breakdown") : ChainedLines.mapper().createObjectNode(),
                recomputed,
                number(runStart, "planned_epsilon", Double.NaN),
                accountant,
                delta,
                number(report, "noise_multiplier", runStart.path("noise_multiplier").asDouble(Double.NaN)),
                number(report, "sample_rate", runStart.path("sample_rate").asDouble(Double.NaN)),
                report.path("steps").asLong(runEnd.map(e -> e.path("steps").asLong()).orElse(0L)),
                text(report, "privacy_unit", runStart.path("privacy_unit").asText("example")),
                number(report, "valid_accuracy", Double.NaN),
                number(report, "train_seconds", Double.NaN),
                Optional.ofNullable(runStart.path("dataset_fingerprint").asText(null)),
                report.has("config") ? report.get("config") : runStart.path("config"),
                runStart.has("sanitization_config") ? runStart.get("sanitization_config") : NullNode.getInstance(),
                runStart.has("sanitization_report") ? runStart.get("sanitization_report") : NullNode.getInstance(),
                points,
                verification,
                privacyAudit,
                taskOf(report, runStart),
                number(report, "valid_perplexity", Double.NaN),
                validationScores(lastOfType(events, EventTypes.EPOCH)));
    }

    /**
     * A last epoch event's further validation figures (every numeric {@code validation_<name>}
     * beyond loss and accuracy), by name: read from the verified log, not from report.json.
     */
    private static Map<String, Double> validationScores(Optional<ObjectNode> epoch) {
        Map<String, Double> scores = new LinkedHashMap<>();
        epoch.ifPresent(event -> event.fields().forEachRemaining(field -> {
            String name = field.getKey();
            if (name.startsWith("validation_") && !name.equals("validation_loss") && !name.equals("validation_accuracy")
                    && field.getValue().isNumber()) {
                scores.put(name.substring("validation_".length()), field.getValue().asDouble());
            }
        }));
        return scores;
    }

    /** The run's task as training recorded it (report.json's config, else run_start's); classify by default. */
    private static String taskOf(JsonNode report, ObjectNode runStart) {
        String recorded = text(report.path("config"), "task", text(runStart.path("config"), "task", ""));
        return recorded.isEmpty() ? "classify" : recorded;
    }

    private static JsonNode readObject(Path file) throws IOException {
        JsonNode node;
        try {
            node = ChainedLines.mapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + " must be a JSON object, is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(file + " must be a JSON object");
        }
        return node;
    }

    private static Optional<ObjectNode> firstOfType(List<ObjectNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).findFirst();
    }

    private static Optional<ObjectNode> lastOfType(List<ObjectNode> events, String type) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).reduce((a, b) -> b);
    }

    private static double number(JsonNode node, String field, double fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asDouble() : fallback;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : fallback;
    }
}
