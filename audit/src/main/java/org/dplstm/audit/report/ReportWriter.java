package org.dplstm.audit.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Renders a report and writes its files. Markdown cannot embed an image, so its chart goes beside
 * {@code --out} ({@code NAME-epsilon.png}) or, when printing to standard output, into the run
 * directory ({@code epsilon.png}). Files are written to a temporary file and renamed, so a failed
 * run never leaves half a report.
 */
public final class ReportWriter {

    public static final String CHART_FILE = "epsilon.png";

    private ReportWriter() {}

    /**
     * @param out the report file, or empty for standard output
     * @return the rendered report (also written to {@code out} when given)
     */
    public static String write(RunReport report, ReportFormat format, Optional<Path> out, Path runDir) throws IOException {
        byte[] chart = format == ReportFormat.JSON ? new byte[0] : EpsilonChart.png(report.epsilonBySteps(), report.plannedEpsilon());
        String text;
        switch (format) {
            case JSON -> text = JsonReport.render(report);
            case HTML -> text = HtmlReport.render(report, chart);
            default -> {
                String link = null;
                if (chart.length > 0) {
                    Path chartFile = out.map(ReportWriter::chartBeside).orElse(runDir.resolve(CHART_FILE));
                    writeAtomically(chartFile, chart);
                    link = out.isPresent() ? chartFile.getFileName().toString() : chartFile.toString();
                }
                text = MarkdownReport.render(report, link);
            }
        }
        if (out.isPresent()) {
            writeAtomically(out.get(), text.getBytes(StandardCharsets.UTF_8));
        }
        return text;
    }

    static Path chartBeside(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        return out.resolveSibling(base + "-" + CHART_FILE);
    }

    /** Writes {@code bytes} to a temporary file beside {@code target}, then renames it over. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        if (!Files.isDirectory(parent)) {
            throw new IllegalArgumentException("output directory must exist, was " + parent);
        }
        Path temp = Files.createTempFile(parent, "." + absolute.getFileName(), ".tmp");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
