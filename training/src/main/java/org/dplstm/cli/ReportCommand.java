package org.dplstm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.LogNotIntactException;
import org.dplstm.audit.report.ReportFormat;
import org.dplstm.audit.report.ReportWriter;
import org.dplstm.audit.report.RunReport;
import org.dplstm.audit.report.RunReportLoader;
import org.dplstm.audit.verify.LedgerLookup;
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
                    + "RUN_DIR/privacy_audit.json exists. ε is also recomputed from the log's run_end "
                    + "events and any disagreement is shown.",
            "Markdown goes to standard output unless --out is given; its chart is written beside --out "
                    + "(NAME-epsilon.png) or into RUN_DIR/epsilon.png. HTML embeds the chart."
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
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("RUN_DIR must be a run directory, was " + runDir);
        }
        AuditKey key = KeyFiles.resolve(keyFile);
        LedgerLookup lookup = LedgerLookup.none();
        Path ledgerPath = Ledger.resolve(Optional.ofNullable(ledgerFile));
        if (Files.isRegularFile(ledgerPath)) {
            try {
                lookup = Ledger.open(ledgerPath);
            } catch (LogNotIntactException e) {
                spec.commandLine().getErr().println("dplstm: warning: " + e.getMessage() + "; the log's end is not checked");
            }
        }
        RunReport report = RunReportLoader.load(runDir, key, lookup);
        String text = ReportWriter.write(report, reportFormat, Optional.ofNullable(out), runDir);
        PrintWriter stdout = spec.commandLine().getOut();
        if (out == null) {
            stdout.print(text);
        } else {
            stdout.println("report written to " + out);
        }
        stdout.flush();
        return 0;
    }
}
