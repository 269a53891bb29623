package org.dplstm.audit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeMap;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.verify.VerificationResult;

/**
 * The report as JSON. Top-level keys: {@code epsilon} (total; null without privacy; run_end's, unless
 * the privacy events run_end records compose to another ε, then the larger of the two),
 * {@code epsilon_breakdown}, {@code accountant}, {@code delta}, {@code noise_multiplier},
 * {@code sample_rate}, {@code steps}, then {@code private}, {@code finished}, {@code integrity}
 * ({@code ok} and {@code problems}: the log does not verify, or an artefact or report.json
 * disagrees with it), {@code privacy_unit},
 * {@code planned_epsilon}, {@code epsilon_run_end} (the ε run_end states), {@code epsilon_recomputed},
 * {@code epsilon_recomputation_agrees},
 * {@code task}, {@code valid_accuracy}, {@code valid_perplexity} (a language model's or an encoder-decoder's), {@code valid_bleu} and {@code valid_chrf} (an encoder-decoder's, from the verified log),
 * {@code train_seconds}, {@code run_id}, {@code run_dir},
 * {@code dataset_fingerprint}, {@code guarantee}, {@code epsilon_by_step}, {@code verification},
 * {@code sanitization}, {@code config}, {@code privacy_audit}.
 */
public final class JsonReport {

    private JsonReport() {}

    public static ObjectNode toJson(RunReport r) {
        ObjectNode root = ChainedLines.mapper().createObjectNode();
        number(root, "epsilon", r.guaranteedEpsilon());
        root.set("epsilon_breakdown", r.epsilonBreakdown());
        root.put("accountant", r.accountant());
        number(root, "delta", r.delta());
        number(root, "noise_multiplier", r.noiseMultiplier());
        number(root, "sample_rate", r.sampleRate());
        root.put("steps", r.steps());
        root.put("private", r.privateRun());
        root.put("finished", r.finished());
        ObjectNode integrity = root.putObject("integrity");
        integrity.put("ok", r.integrityProblems().isEmpty());
        ArrayNode problems = integrity.putArray("problems");
        r.integrityProblems().forEach(problems::add);
        root.put("privacy_unit", r.privacyUnit());
        number(root, "planned_epsilon", r.plannedEpsilon());
        number(root, "epsilon_run_end", r.epsilon());
        number(root, "epsilon_recomputed", r.epsilonRecomputed());
        if (r.recomputationAgrees().isPresent()) {
            root.put("epsilon_recomputation_agrees", r.recomputationAgrees().get());
        } else {
            root.putNull("epsilon_recomputation_agrees");
        }
        root.put("task", r.task());
        number(root, "valid_accuracy", r.validAccuracy());
        number(root, "valid_perplexity", r.validPerplexity());
        new TreeMap<>(r.validationScores()).forEach((name, value) -> number(root, "valid_" + name, value));
        number(root, "train_seconds", r.trainSeconds());
        root.put("run_id", r.runId().orElse(null));
        root.put("run_dir", r.runDir());
        root.put("dataset_fingerprint", r.datasetFingerprint().orElse(null));
        root.put("guarantee", Guarantee.describe(r));
        ArrayNode bySteps = root.putArray("epsilon_by_step");
        for (EpsilonPoint point : r.epsilonBySteps()) {
            ObjectNode p = bySteps.addObject();
            p.put("steps", point.steps());
            ObjectNode eps = p.putObject("epsilon");
            new TreeMap<>(point.epsilonByAccountant()).forEach(eps::put);
        }
        ObjectNode verification = root.putObject("verification");
        if (r.verification().isPresent()) {
            VerificationResult v = r.verification().get();
            verification.put("status", v.status().name().toLowerCase(java.util.Locale.ROOT));
            verification.put("exit_code", v.exitCode());
            verification.put("message", v.message());
            verification.put("bad_line", v.badLine());
            verification.put("events", v.events());
            verification.put("final_hash", v.lastHash());
            ArrayNode notes = verification.putArray("notes");
            v.notes().forEach(notes::add);
        } else {
            verification.put("status", "no_log");
        }
        ObjectNode sanitization = root.putObject("sanitization");
        sanitization.set("config", r.sanitizationConfig());
        sanitization.set("report", r.sanitizationReport());
        root.set("config", r.config());
        root.set("privacy_audit", r.privacyAudit().orElse(null));
        return root;
    }

    public static String render(RunReport r) {
        try {
            return ChainedLines.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(r)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    static String compact(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "none" : node.toString();
    }
}
