package org.dplstm.audit.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Renders a report in one format. Markdown cannot embed an image, so its chart is returned beside
 * the text for the caller to write where the link points ({@link #chartBeside}), when there is a
 * link (a report written to a file; a report on standard output says where to get the chart
 * instead); HTML embeds it; JSON has none. Rendering writes nothing: the command line writes the files.
 */
public final class ReportRenderer {

    private ReportRenderer() {}

    /**
     * A rendered report.
     *
     * @param chart the PNG the markdown links to; empty for HTML (embedded), JSON, and markdown
     *     without a chart link
     */
    public record Rendered(String text, byte[] chart) {}

    /**
     * @param chartLink where markdown's link points (the caller writes {@link Rendered#chart} there),
     *     or null for markdown without a chart file; ignored by the other formats
     */
    public static Rendered render(RunReport report, ReportFormat format, String chartLink) throws IOException {
        if (format == ReportFormat.JSON) {
            return new Rendered(JsonReport.render(report), new byte[0]);
        }
        if (format == ReportFormat.HTML) {
            return new Rendered(HtmlReport.render(report, chart(report)), new byte[0]);
        }
        boolean hasCurve = EpsilonChart.hasCurve(report.epsilonBySteps());
        if (!hasCurve || chartLink == null) {
            // nothing to draw, or no file to draw it in: the PNG is not made
            return new Rendered(MarkdownReport.render(report, null, hasCurve), new byte[0]);
        }
        return new Rendered(MarkdownReport.render(report, chartLink), chart(report));
    }

    private static byte[] chart(RunReport report) throws IOException {
        return EpsilonChart.png(report.epsilonBySteps(), report.plannedEpsilon());
    }

    /** The markdown chart's file beside a report written to {@code out}: NAME-epsilon.png. */
    public static Path chartBeside(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return out.resolveSibling(base + "-epsilon.png");
    }
}
