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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.ChainScan;
import org.dplstm.audit.log.ChainScanner;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.log.EventTypes;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.audit.verify.LogVerifier;
import org.dplstm.audit.verify.VerificationResult;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.accountants.Accountants;

/**
 * Reads a run directory into a {@link RunReport} from its verified audit log only (ARCHITECTURE
 * §6): run_start, the epoch events and run_end of the verified prefix, and artefacts checked
 * against run_end's hashes by the verifier. {@code report.json} is an artefact like any other: it
 * is compared with the log, never believed, and every figure where it disagrees is named.
 */
public final class RunReportLoader {

    /** Relative difference below which two figures count as equal (both are written from one double). */
    private static final double SAME = 1e-9;

    private RunReportLoader() {}

    /**
     * @throws IllegalArgumentException when the run directory has no audit log, or the log is
     *     keyed and {@code key} is not its key
     */
    public static RunReport load(Path runDir, AuditKey key, LedgerLookup ledger) throws IOException {
        RunFiles files = RunFiles.of(runDir);
        Path logFile = files.log();
        if (!Files.isRegularFile(logFile)) {
            throw new IllegalArgumentException("run directory must hold its audit log (a report is built from the "
                    + "verified log only), missing: " + logFile);
        }
        VerificationResult verification = LogVerifier.verify(logFile, key, ledger);
        if (verification.status() == VerificationResult.Status.KEY_REQUIRED) {
            throw new IllegalArgumentException(logFile + " is HMAC-keyed: give --key-file F (or set "
                    + AuditKey.ENVIRONMENT_VARIABLE + ") to build its report");
        }
        // Figures are read from the verified prefix only: nothing after a bad line is trusted.
        ChainScan scan = ChainScanner.scan(logFile, key.newHasher());
        List<ObjectNode> events = scan.events();
        ObjectNode runStart = firstOfType(events, EventTypes.RUN_START).orElse(ChainedLines.mapper().createObjectNode());
        Optional<ObjectNode> runEnd = scan.lastOfType(EventTypes.RUN_END);
        Optional<ObjectNode> lastEpoch = scan.lastOfType(EventTypes.EPOCH);

        boolean privateRun = runStart.path("noise_multiplier").isNumber();
        String accountant = runStart.path("accountant").asText("");
        double delta = number(runStart, "delta");
        double epsilon = privateRun && runEnd.isPresent() ? number(runEnd.get().path("epsilon"), accountant) : Double.NaN;
        double recomputed = Double.NaN;
        if (privateRun && runEnd.isPresent() && !accountant.isEmpty() && delta > 0 && delta < 1) {
            PrivacyAccountant accountantForCheck = Accountants.newAccountant(AccountantKind.parse(accountant));
            accountantForCheck.composeAll(PrivacyEventJson.listFromJson(runEnd.get().get("privacy_events")));
            recomputed = accountantForCheck.history().isEmpty() ? 0.0 : accountantForCheck.epsilon(delta);
        }
        long steps = runEnd.map(e -> e.path("steps").asLong())
                .orElse(lastEpoch.map(e -> e.path("steps").asLong()).orElse(0L));
        String task = runStart.path("config").path("task").asText("");
        double validLoss = lastEpoch.map(e -> number(e, "validation_loss")).orElse(Double.NaN);
        double validAccuracy = lastEpoch.map(e -> number(e, "validation_accuracy")).orElse(Double.NaN);
        // validation perplexity per predicted token: exp of the logged mean loss
        boolean perplexityTask = RunReport.LANGUAGE_MODEL_TASK.equals(task) || RunReport.ENCODER_DECODER_TASK.equals(task);

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
        if (Files.isRegularFile(files.privacyAudit())) {
            privacyAudit = Optional.of(readObject(files.privacyAudit()));
        }

        RunReport report = new RunReport(
                runDir.toString(),
                Optional.ofNullable(runStart.path("run_id").asText(null)),
                privateRun,
                runEnd.isPresent(),
                epsilon,
                runEnd.map(e -> e.path("epsilon_breakdown")).filter(JsonNode::isObject)
                        .map(JsonNode.class::cast).orElse(ChainedLines.mapper().createObjectNode()),
                recomputed,
                number(runStart, "planned_epsilon"),
                accountant,
                delta,
                number(runStart, "noise_multiplier"),
                number(runStart, "sample_rate"),
                steps,
                runStart.path("privacy_unit").asText("example"),
                validAccuracy,
                runEnd.map(e -> number(e, "train_seconds")).orElse(Double.NaN),
                Optional.ofNullable(runStart.path("dataset_fingerprint").asText(null)),
                runStart.path("config"),
                runStart.has("sanitization_config") ? runStart.get("sanitization_config") : NullNode.getInstance(),
                runStart.has("sanitization_report") ? runStart.get("sanitization_report") : NullNode.getInstance(),
                points,
                Optional.of(verification),
                privacyAudit,
                task.isEmpty() ? "classify" : task,
                perplexityTask ? Math.exp(validLoss) : Double.NaN,
                validationScores(lastEpoch),
                List.of());
        return report.withIntegrityProblems(integrityProblems(report, verification, files, validLoss));
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

    /**
     * What keeps the report from standing on its own: the log does not verify (an edited line, an
     * artefact that is not the file run_end binds, a ledger mismatch), run_end's ε is not what its
     * own history composes to, or report.json states a figure the log does not.
     */
    private static List<String> integrityProblems(RunReport report, VerificationResult verification, RunFiles files,
            double validLoss) throws IOException {
        List<String> problems = new ArrayList<>();
        if (verification.status() == VerificationResult.Status.TAMPERED) {
            problems.add("the audit log does not verify: " + verification.message());
            verification.notes().stream().filter(n -> n.startsWith("artefact: ")).forEach(problems::add);
        }
        if (report.epsilonDisputed()) {
            problems.add(String.format(Locale.ROOT, "run_end states epsilon %s but its privacy events compose to %s",
                    ReportSections.fmt(report.epsilon()), ReportSections.fmt(report.epsilonRecomputed())));
        }
        if (report.finished() && Files.isRegularFile(files.report())) {
            problems.addAll(reportJsonDisagreements(readObject(files.report()), report, validLoss));
        }
        return problems;
    }

    /** Each figure of report.json that is not the log's, as "report.json says X, the log says Y". */
    private static List<String> reportJsonDisagreements(JsonNode json, RunReport log, double validLoss) {
        List<String> disagreements = new ArrayList<>();
        compare(disagreements, json, "private", log.privateRun());
        compare(disagreements, json, "privacy_unit", log.privacyUnit());
        compare(disagreements, json, "steps", log.steps());
        compare(disagreements, json, "valid_accuracy", log.validAccuracy());
        compare(disagreements, json, "valid_loss", validLoss);
        log.validationScores().forEach((name, value) -> compare(disagreements, json, "valid_" + name, value));
        if (log.privateRun()) {
            compare(disagreements, json, "epsilon", log.epsilon());
            compare(disagreements, json, "delta", log.delta());
            compare(disagreements, json, "accountant", log.accountant());
            compare(disagreements, json, "noise_multiplier", log.noiseMultiplier());
            compare(disagreements, json, "sample_rate", log.sampleRate());
        }
        return disagreements;
    }

    private static void compare(List<String> disagreements, JsonNode json, String field, Object logValue) {
        JsonNode stated = json.get(field);
        boolean same;
        if (logValue instanceof Double d) {
            same = Double.isNaN(d) ? stated == null || stated.isNull()
                    : stated != null && stated.isNumber()
                            && Math.abs(stated.asDouble() - d) <= SAME * Math.max(1.0, Math.abs(d));
        } else if (logValue instanceof Long l) {
            same = stated != null && stated.canConvertToExactIntegral() && stated.asLong() == l;
        } else if (logValue instanceof Boolean b) {
            same = stated != null && stated.isBoolean() && stated.asBoolean() == b;
        } else {
            same = stated != null && stated.isTextual() && stated.asText().equals(logValue);
        }
        if (!same) {
            disagreements.add("report.json says " + field + " = " + (stated == null ? "nothing" : stated.toString())
                    + ", the log says " + shown(logValue));
        }
    }

    private static String shown(Object value) {
        return value instanceof Double d ? (Double.isNaN(d) ? "null" : Double.toString(d)) : String.valueOf(value);
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

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
    }
}
