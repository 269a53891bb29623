package org.dplstm.audit.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Base64;
import java.util.List;
import org.dplstm.audit.log.ChainedLines;

/** The report as one self-contained HTML page (chart embedded as a base64 PNG). */
public final class HtmlReport {

    private HtmlReport() {}

    public static String render(RunReport r, byte[] chartPng) {
        StringBuilder html = new StringBuilder();
        String title = escape(ReportSections.title(r));
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(title)
                .append("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;}"
                        + "table{border-collapse:collapse}td{border:1px solid #ccc;padding:.3em .6em}"
                        + "pre{background:#f4f4f4;padding:.6em;overflow:auto}.guarantee{font-size:1.1em}</style>"
                        + "</head><body>\n");
        html.append("<h1>").append(title).append("</h1>\n<h2>Integrity</h2>\n");
        ReportSections.integrity(r).forEach(line -> html.append("<p>").append(escape(line)).append("</p>\n"));
        html.append("<h2>Guarantee</h2>\n<p class=\"guarantee\">").append(escape(Guarantee.describe(r))).append("</p>\n");
        html.append("<h2>Plan and spending</h2>\n");
        table(html, ReportSections.keyFigures(r));
        List<String[]> breakdown = ReportSections.breakdown(r);
        if (!breakdown.isEmpty()) {
            html.append("<p>ε by mechanism:</p>\n");
            table(html, breakdown);
        }
        if (chartPng.length > 0) {
            html.append("<p><img alt=\"epsilon against steps\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(chartPng)).append("\"></p>\n");
        }
        html.append("<h2>Dataset and sanitization</h2>\n<p>Dataset fingerprint (SHA-256 of the raw input files): <code>")
                .append(escape(r.datasetFingerprint().orElse("not recorded"))).append("</code></p>\n");
        html.append("<p>Sanitization configuration:</p>").append(code(r.sanitizationConfig()));
        html.append("<p>Sanitization report (counts, never values):</p>").append(code(r.sanitizationReport()));
        html.append("<h2>Audit log verification</h2>\n");
        table(html, ReportSections.verification(r));
        if (r.privacyAudit().isPresent()) {
            html.append("<h2>Empirical privacy audit</h2>\n");
            table(html, ReportSections.privacyAudit(r.privacyAudit().get()));
        }
        html.append("<h2>Configuration</h2>\n").append(code(r.config()));
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void table(StringBuilder html, List<String[]> rows) {
        html.append("<table>\n");
        for (String[] row : rows) {
            html.append("<tr><td>").append(escape(row[0])).append("</td><td>").append(escape(row[1])).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static String code(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "<p>none recorded</p>\n";
        }
        try {
            return "<pre>" + escape(ChainedLines.mapper().writer().with(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(node)) + "</pre>\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
