package org.dplstm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.report.ReportFormat;
import org.dplstm.audit.report.ReportRenderer;
import org.dplstm.audit.report.RunReport;
import org.dplstm.audit.report.RunReportLoader;
import org.dplstm.audit.run.RunDirectoryAccess;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.files.FileIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dplstm report RUN_DIR}: the compliance report of a run. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Write a run's privacy report: the guarantee in plain words (ε, δ, privacy unit, accountant), "
                    + "plan against spending, ε against steps (chart), configuration, dataset fingerprint, "
                    + "sanitization summary, audit-log verification, and the empirical privacy audit when "
                    + "RUN_DIR/privacy_audit.json exists. Every figure comes from the verified audit log, never "
                    + "from report.json; the run's files are checked against the hashes run_end records, ε is "
                    + "recomputed from run_end's privacy events, and report.json is compared with the log. Any "
                    + "disagreement is stated in the report's Integrity section and the exit code is 6.",
            "Markdown goes to standard output unless --out is given; with --out NAME.md its chart is written "
                    + "beside it as NAME-epsilon.png, which must not exist yet unless NAME.md is the report that "
                    + "links it (a run without privacy has no ε to chart: no chart is written, and a file of that name "
                    + "is left alone; without --out there is no chart file: reading a report writes nothing). HTML embeds the chart. --out must lie outside "
                    + "RUN_DIR and be none of the run's files, its training or validation data, the key file or "
                    + "the ledger (links followed); a file it names is replaced."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the report, and the run's record holds together",
            "2:bad input (no run directory or audit log, a keyed log without its key, an --out that is a run file "
                    + "or the run's data, a chart file beside --out that already exists)",
            "5:I/O failure (an unreadable run directory, an --out that cannot be written; the line names the path)",
            "6:the report was written, and it states that the log does not verify or disagrees with an artefact "
                    + "or report.json; or the ledger is damaged (nothing written)"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./dplstm report runs/r1",
            "  ./dplstm report runs/r1 --format html --out r1.html",
            "  ./dplstm report runs/r1 --format json | jq .epsilon"
        })
public final class ReportCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory (holds report.json and audit.jsonl).")
    Path runDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "markdown",
            description = "markdown, html or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path out;

    @Option(names = "--key-file", paramLabel = "F", description = "HMAC key file of the audit log (default: DPLSTM_AUDIT_KEY_FILE).")
    Path keyFile;

    @Option(names = "--ledger", paramLabel = "FILE", description = "Ledger to check the log's end against (default: DPLSTM_LEDGER, else ~/.dplstm/ledger.jsonl).")
    Path ledgerFile;

    @Override
    public Integer call() throws IOException {
        ReportFormat reportFormat = ReportFormat.parse(format);
        RunDirectoryAccess.requireReachable(runDir);
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("RUN_DIR must be a run directory, was " + runDir);
        }
        AuditKey key = KeyFiles.resolve(keyFile);
        Path ledgerPath = Ledger.resolve(Optional.ofNullable(ledgerFile));
        // Markdown's chart is a file of its own, written only beside --out: never into the run directory.
        Path chartFile = out != null && reportFormat == ReportFormat.MARKDOWN ? ReportRenderer.chartBeside(out) : null;
        Map<String, Path> inputs = out != null ? recordedInputs() : Map.of();
        if (out != null) {
            checkOutput("--out", out, ledgerPath, inputs);
        }
        if (chartFile != null) {
            checkOutput("--out's chart", chartFile, ledgerPath, inputs);
        }
        LedgerLookup lookup = LedgerLookup.none();
        if (Files.isRegularFile(ledgerPath)) {
            lookup = Ledger.open(ledgerPath); // damaged: one line, exit 6
        }
        RunReport report = RunReportLoader.load(runDir, key, lookup);
        ReportRenderer.Rendered rendered = ReportRenderer.render(report, reportFormat,
                chartFile != null ? chartFile.getFileName().toString() : null);
        // The report and its chart appear together or not at all.
        List<AtomicFile.Part> outputs = new ArrayList<>();
        if (rendered.chart().length > 0) { // only with a link, so only with a chart file
            // The user named --out, not its chart: a file already there is theirs, never replaced, unless
            // it is the chart of the report --out already holds (the same report written again). A report
            // without a chart (no ε to draw) leaves such a file alone.
            if (Files.exists(chartFile, LinkOption.NOFOLLOW_LINKS) && !isChartOfExistingReport(out, chartFile)) {
                throw new IllegalArgumentException("--out's chart " + chartFile + " already exists (the chart of a "
                        + "markdown report NAME.md is NAME-epsilon.png beside it): move it away or choose another --out");
            }
            outputs.add(new AtomicFile.Part(chartFile, stream -> stream.write(rendered.chart())));
        }
        if (out != null) {
            outputs.add(new AtomicFile.Part(out, stream -> stream.write(rendered.text().getBytes(StandardCharsets.UTF_8))));
        }
        AtomicFile.writeAll(outputs);
        PrintWriter stdout = spec.commandLine().getOut();
        if (out == null) {
            stdout.print(rendered.text());
        } else {
            stdout.println("report written to " + out);
        }
        stdout.flush();
        if (!report.integrityProblems().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("dplstm: the run's record does not hold together: " + report.integrityProblems().get(0)
                    + (report.integrityProblems().size() > 1 ? " (and " + (report.integrityProblems().size() - 1)
                            + " more, listed in the report)" : ""));
            err.flush();
            return Main.EXIT_INTEGRITY;
        }
        return 0;
    }

    /**
     * Refuses (bad input) an output that would replace what the report is made from: anything in
     * the run directory (it may not be the directory or lie inside it, nor be a hard or symbolic
     * link to one of its files), the {@code inputs} the run read ({@link #recordedInputs}: a file, or
     * anything inside a folder), the key file or the ledger.
     */
    private void checkOutput(String option, Path output, Path ledgerPath, Map<String, Path> inputs) throws IOException {
        if (FileIdentity.inside(output, runDir)) {
            throw new IllegalArgumentException(option + " must be outside the run directory " + runDir
                    + " (its files are the run's record), was " + output);
        }
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                OutputPaths.requireDistinct(option, output, "the run's " + file.getFileName(), file);
            }
        }
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            OutputPaths.requireDistinct(option, output, input.getKey(), input.getValue());
            // a folder input (a language model's text folder, Parquet parts, a warm start's run) reads
            // every file in it: a report written there would become part of the data
            if (Files.isDirectory(input.getValue()) && FileIdentity.inside(output, input.getValue())) {
                throw new IllegalArgumentException(option + " must be outside " + input.getKey() + " " + input.getValue()
                        + " (a folder the run read), was " + output);
            }
        }
        if (keyFile != null) {
            OutputPaths.requireDistinct(option, output, "--key-file", keyFile);
        }
        OutputPaths.requireDistinct(option, output, "the ledger", ledgerPath);
        AtomicFile.requireWritableTarget(output);
    }

    /**
     * The files run.json records the run as reading (its absolute paths: "train", "valid", and any
     * other, such as a warm start's), by what they are. A run.json that cannot be read records none
     * here; the report itself says whether the run's files hold together.
     */
    private Map<String, Path> recordedInputs() {
        JsonNode settings;
        try {
            settings = ChainedLines.mapper().readTree(RunFiles.of(runDir).settings().toFile());
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        Map<String, Path> inputs = new LinkedHashMap<>();
        collectPaths(settings, "", inputs);
        return inputs;
    }

    private static void collectPaths(JsonNode node, String key, Map<String, Path> inputs) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> collectPaths(field.getValue(),
                    key.isEmpty() ? field.getKey() : key + "." + field.getKey(), inputs));
        } else if (node.isArray()) {
            node.forEach(element -> collectPaths(element, key, inputs));
        } else if (node.isTextual()) {
            Path path;
            try {
                path = Path.of(node.asText());
            } catch (InvalidPathException e) {
                return;
            }
            if (path.isAbsolute()) {
                String name = switch (key) {
                    case "train" -> "the run's training data";
                    case "valid" -> "the run's validation data";
                    default -> "the run's input " + key + " (run.json)";
                };
                inputs.putIfAbsent(inputs.containsKey(name) ? name + " " + path : name, path);
            }
        }
    }

    /** Whether {@code out} is already a markdown report that links {@code chart} (an earlier run of this command). */
    private static boolean isChartOfExistingReport(Path out, Path chart) {
        try {
            if (!Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS) || Files.size(out) > 1 << 20) {
                return false;
            }
            return Files.readString(out).contains("](" + chart.getFileName() + ")");
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
