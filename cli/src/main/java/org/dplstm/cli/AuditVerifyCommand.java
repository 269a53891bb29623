package org.dplstm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.run.RunDirectoryAccess;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.audit.verify.LogVerifier;
import org.dplstm.audit.verify.VerificationResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dplstm audit verify LOG}: is this audit log the one the run wrote? */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Verify a run's hash-chained audit log: every line's hash (HMAC with a key), its sequence "
                    + "number and its link to the previous line, the log's head and end, that the run "
                    + "directory's files (model, encoder, vocabulary, run.json, checkpoint, report.json) are the "
                    + "ones run_end binds by SHA-256, and, when the ledger recorded the run, that the log ends "
                    + "with the final hash recorded there (or that the run is still only reserved there).",
            "",
            "Threat model. Without a key the chain catches corruption and naive edits (a changed, "
                    + "inserted, deleted, duplicated or reordered line, a missing head), but whoever can "
                    + "write the file can recompute every hash after an edit and go unnoticed. With an "
                    + "HMAC key kept OUTSIDE the run directory (and away from whoever could edit the log), "
                    + "deliberate edits are caught too. No chain can see lines cut off at the end: the "
                    + "ledger's final hash can, for runs that reached the ledger.",
            "",
            "Not a log. A run directory's own log (LOG a run directory, a file named audit.jsonl, or one with "
                    + "the run's run.json beside it) is always judged, whatever it holds. Any other file is taken for "
                    + "an audit log unless no line of it is a log record: every record begins {\"seq\": and ends "
                    + "with its \"hash\" member, and a file with no such line (a CSV, a data file, text) is bad "
                    + "input (exit 2). An empty file is a run that stopped writing (incomplete).",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:intact: every line verifies and the log ends with run_end",
            "1:tampered: names the first bad line, a run file that is not the one run_end binds (a swapped "
                    + "model, a log copied from another run), or a ledger mismatch",
            "2:bad input (missing file, keyed log without a key, a file that is not a dplstm audit log)",
            "3:incomplete: a crash (torn last line, or no run_end and no writer holds the lock, or run_end "
                    + "written but the ledger still holds only the run's reservation)",
            "4:in progress: no run_end yet and a writer holds the lock",
            "5:I/O failure (an unreadable log or run directory; the line names the path)",
            "6:the ledger cannot be read completely (damaged)"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./dplstm audit verify runs/r1",
            "  DPLSTM_AUDIT_KEY_FILE=/secure/audit.key ./dplstm audit verify runs/r1/audit.jsonl",
            "  ./dplstm audit verify runs/r1 --key-file /secure/audit.key --ledger shared/ledger.jsonl"
        })
public final class AuditVerifyCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LOG", description = "The audit.jsonl file, or the run directory holding it.")
    Path log;

    @Option(names = "--key-file", paramLabel = "F",
            description = "File holding the HMAC key (default: the file named by DPLSTM_AUDIT_KEY_FILE, else no key). "
                    + "The key is never taken on the command line.")
    Path keyFile;

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "Ledger to check the log's end against (default: DPLSTM_LEDGER, else ~/.dplstm/ledger.jsonl, if it exists).")
    Path ledgerFile;

    @Override
    public Integer call() throws IOException {
        RunDirectoryAccess.requireReachable(log);
        Path file = Files.isDirectory(log) ? RunFiles.of(log).log() : log;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("LOG must be an audit.jsonl file or a run directory holding one, was " + log);
        }
        if (!isRunsLog(file)) {
            LogVerifier.requireAuditLog(file); // a run's own log is judged whatever it holds: tampering stays exit 1
        }
        AuditKey key = KeyFiles.resolve(keyFile);
        PrintWriter out = spec.commandLine().getOut();
        LedgerLookup lookup = LedgerLookup.none();
        Path ledgerPath = Ledger.resolve(Optional.ofNullable(ledgerFile));
        if (ledgerFile != null && !Files.isRegularFile(ledgerPath)) {
            throw new IllegalArgumentException("--ledger must be an existing ledger file, was " + ledgerFile);
        }
        if (Files.isRegularFile(ledgerPath)) {
            lookup = Ledger.open(ledgerPath); // damaged: one line, exit 6
        }
        VerificationResult result = LogVerifier.verify(file, key, lookup);
        out.println(result.status().name().replace('_', ' ') + ": " + result.message());
        result.notes().forEach(note -> out.println("  note: " + note));
        out.flush();
        return result.exitCode();
    }

    /** Whether {@code file} is the log a run directory keeps (by its name, or a run.json beside it). */
    private static boolean isRunsLog(Path file) {
        RunFiles run = RunFiles.of(file.toAbsolutePath().getParent());
        return file.getFileName().equals(run.log().getFileName()) || Files.exists(run.settings());
    }
}
