package org.dplstm.audit.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import org.dplstm.audit.log.ChainedLines;

/** The report as markdown; the chart is a PNG file it links to by name. */
public final class MarkdownReport {

    private MarkdownReport() {}

    /** @param chartLink relative path of the chart PNG, or null when there is no chart */
    public static String render(RunReport r, String chartLink) {
        return render(r, chartLink, false);
    }

    /**
     * @param chartLink relative path of the chart PNG, or null when the report links to none
     * @param chartOmitted there is a chart but no file for it (a report read on standard output):
     *     say where to get it
     */
    public static String render(RunReport r, String chartLink, boolean chartOmitted) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(ReportSections.title(r)).append("\n\n");
        md.append("## Integrity\n\n").append(String.join("\n", ReportSections.integrity(r))).append("\n\n");
        md.append("## Guarantee\n\n").append(Guarantee.describe(r)).append("\n\n");
        md.append("## Plan and spending\n\n");
        table(md, ReportSections.keyFigures(r));
        List<String[]> breakdown = ReportSections.breakdown(r);
        if (!breakdown.isEmpty()) {
            md.append("\nε by mechanism:\n\n");
            table(md, breakdown);
        }
        if (chartLink != null) {
            md.append("\n![epsilon against steps](").append(chartLink).append(")\n");
        } else if (chartOmitted) {
            md.append("\nThe chart of ε against steps is a separate file, written only beside a report saved with "
                    + "`--out FILE.md` (as FILE-epsilon.png); `--format html` embeds it.\n");
        }
        md.append("\n## Dataset and sanitization\n\n");
        md.append("Dataset fingerprint (SHA-256 of the raw input files): `")
                .append(r.datasetFingerprint().orElse("not recorded")).append("`\n\n");
        md.append("Sanitization configuration:\n\n").append(code(r.sanitizationConfig()));
        md.append("Sanitization report (counts, never values):\n\n").append(code(r.sanitizationReport()));
        md.append("## Audit log verification\n\n");
        table(md, ReportSections.verification(r));
        if (r.privacyAudit().isPresent()) {
            md.append("\n## Empirical privacy audit\n\n");
            table(md, ReportSections.privacyAudit(r.privacyAudit().get()));
        }
        md.append("\n## Configuration\n\n").append(code(r.config()));
        return md.toString();
    }

    private static void table(StringBuilder md, List<String[]> rows) {
        md.append("| | |\n|---|---|\n");
        for (String[] row : rows) {
            md.append("| ").append(escape(row[0])).append(" | ").append(escape(row[1])).append(" |\n");
        }
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|").replace("\n", " ");
    }

    private static String code(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "none recorded\n\n";
        }
        try {
            return "```json\n" + ChainedLines.mapper().writer().with(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(node) + "\n```\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
