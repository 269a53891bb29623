package org.dplstm.audit.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.VerificationResult;

/** The report's content as label/value rows, shared by the markdown and HTML renderers. */
final class ReportSections {

    private ReportSections() {}

    static String title(RunReport r) {
        return "Privacy report: run " + r.runId().orElse(r.runDir());
    }

    /** The integrity verdict: one line when the record holds together, else each problem. */
    static List<String> integrity(RunReport r) {
        List<String> lines = new ArrayList<>();
        if (r.integrityProblems().isEmpty()) {
            lines.add("Every figure in this report comes from the verified audit log"
                    + (r.finished() ? ", and every artefact of the run matches the hash its run_end records." : "."));
        } else {
            lines.add("THE RUN'S RECORD DOES NOT HOLD TOGETHER. Figures below come from the verified part of the "
                    + "audit log only:");
            r.integrityProblems().forEach(p -> lines.add("- " + p));
        }
        if (!r.finished()) {
            lines.add("The run did not finish: its verified audit log has no run_end, so there is no final ε.");
        }
        if (r.privacyAudit().isPresent()) {
            lines.add("The empirical privacy audit comes from " + RunFiles.PRIVACY_AUDIT
                    + ", written after run_end: the audit log does not cover it.");
        }
        return lines;
    }

    static List<String[]> keyFigures(RunReport r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("differential privacy", r.privateRun() ? "yes" : "NO"));
        rows.add(row("model", r.languageModel() ? "language model" : r.encoderDecoder() ? "encoder-decoder"
                : r.ngramClassifier() ? "classifier (linear, over hashed character n-grams)" : "classifier"));
        rows.add(row("ε (total, spent)", r.privateRun() ? fmt(r.guaranteedEpsilon()) : "none (no guarantee)"));
        rows.add(row("δ", Guarantee.formatDelta(r.delta())));
        rows.add(row("accountant", r.accountant().isEmpty() ? "n/a" : r.accountant()));
        rows.add(row("privacy unit", r.privacyUnit()));
        rows.add(row("ε planned", fmt(r.plannedEpsilon())));
        if (r.privateRun() && Double.isFinite(r.plannedEpsilon()) && Double.isFinite(r.guaranteedEpsilon())) {
            rows.add(row("spent / planned", String.format(Locale.ROOT, "%.1f%%",
                    100 * r.guaranteedEpsilon() / r.plannedEpsilon())));
        }
        rows.add(row("ε recomputed from the log", Double.isNaN(r.epsilonRecomputed()) ? "n/a"
                : fmt(r.epsilonRecomputed()) + r.recomputationAgrees().map(a -> a ? " (agrees)" : " (DISAGREES with run_end's ε " + fmt(r.epsilon()) + ")").orElse("")));
        rows.add(row("noise multiplier σ", fmt(r.noiseMultiplier())));
        rows.add(row("sample rate q", fmt(r.sampleRate())));
        rows.add(row("steps", Long.toString(r.steps())));
        if (r.languageModel() || r.encoderDecoder()) {
            rows.add(row("validation perplexity", fmt(r.validPerplexity())));
            new java.util.TreeMap<>(r.validationScores()).forEach((name, value) ->
                    rows.add(row("validation " + (name.equals("bleu") ? "BLEU" : name.equals("chrf") ? "chrF" : name),
                            fmt(value))));
        } else {
            rows.add(row("validation accuracy", fmt(r.validAccuracy())));
        }
        rows.add(row("training time (s)", fmt(r.trainSeconds())));
        return rows;
    }

    static List<String[]> breakdown(RunReport r) {
        // run_end's own figures: where its events compose to another total, they are claims, said so per row
        String unverified = r.epsilonDisputed()
                ? " (as run_end states it; its events do not support run_end's total)" : "";
        List<String[]> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = r.epsilonBreakdown().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            rows.add(row(e.getKey(), (e.getValue().isNumber() ? fmt(e.getValue().asDouble()) : e.getValue().toString())
                    + unverified));
        }
        return rows;
    }

    static List<String[]> verification(RunReport r) {
        List<String[]> rows = new ArrayList<>();
        if (r.verification().isEmpty()) {
            rows.add(row("status", "no audit log in the run directory"));
            return rows;
        }
        VerificationResult v = r.verification().get();
        rows.add(row("status", v.status().name() + " (exit code " + v.exitCode() + ")"));
        rows.add(row("verdict", v.message()));
        rows.add(row("events", Long.toString(v.events())));
        rows.add(row("final hash", v.lastHash()));
        v.notes().forEach(n -> rows.add(row("note", n)));
        return rows;
    }

    static List<String[]> privacyAudit(JsonNode audit) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("mean canary exposure (bits)", num(audit.path("exposure").path("mean"))));
        rows.add(row("membership inference AUC", num(audit.path("mia_auc"))));
        rows.add(row("MIA TPR at FPR 0.1%", num(audit.path("mia_tpr_at_fpr").path("0.001"))));
        rows.add(row("MIA TPR at FPR 1%", num(audit.path("mia_tpr_at_fpr").path("0.01"))));
        rows.add(row("empirical ε lower bound (95%)", num(audit.path("epsilon_lower_bound"))));
        rows.add(row("formal ε", audit.path("epsilon_formal").isNull() ? "none (no privacy)" : num(audit.path("epsilon_formal"))));
        return rows;
    }

    private static String num(JsonNode node) {
        return node.isNumber() ? fmt(node.asDouble()) : "n/a";
    }

    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static String[] row(String label, String value) {
        return new String[] {label, value};
    }
}
