package org.dplstm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.ledger.LedgerEntry;
import org.dplstm.training.provenance.RunAbandonment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dplstm ledger abandon RUN_DIR}: release a killed run's reservation with what it spent. */
@Command(
        name = "abandon",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Release a run that was killed and will not be resumed. A private run reserves its planned ε in "
                    + "the ledger when it starts, and the reservation counts against its dataset until the run "
                    + "ends (or is resumed to its end). Abandoning it records what it spent until it stopped (the "
                    + "privacy of its last checkpoint, read from its verified audit log), which counts from then "
                    + "on instead of the plan. An abandoned run cannot be resumed.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:abandoned", "2:bad input (still running, finished, not reserved, a copy, a log that does not verify or lost its last "
            + "lines)",
            "6:the ledger is damaged"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./dplstm ledger abandon runs/r7", "  ./dplstm ledger abandon runs/r7 --key-file /secure/audit.key"})
public final class LedgerAbandonCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The killed run's directory.")
    Path runDir;

    @Option(names = "--key-file", paramLabel = "F", description = "HMAC key of the run's audit log (default: DPLSTM_AUDIT_KEY_FILE).")
    Path keyFile;

    @Option(names = "--ledger", paramLabel = "FILE", description = "Ledger file (default: DPLSTM_LEDGER, else ~/.dplstm/ledger.jsonl).")
    Path ledgerFile;

    @Override
    public Integer call() throws IOException {
        LedgerEntry abandoned = RunAbandonment.abandon(runDir, KeyFiles.resolve(keyFile),
                Ledger.resolve(Optional.ofNullable(ledgerFile)));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "run %s abandoned: what it spent until it stopped, epsilon %.4f at delta %.3g (%s), "
                + "now counts instead of its plan%n", abandoned.runId(), abandoned.epsilon(), abandoned.delta(),
                abandoned.accountant());
        out.flush();
        return 0;
    }
}
