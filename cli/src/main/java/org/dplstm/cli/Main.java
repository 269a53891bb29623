package org.dplstm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dplstm} command: one subcommand per job, each a thin layer over the library API. */
@Command(
        name = "dplstm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Differentially private LSTM text models: plan a privacy budget, sanitize text, "
                + "train with DP-SGD, and audit what was spent.",
        subcommands = {
            BudgetCommand.class,
            SanitizeCommand.class,
            TrainCommand.class,
            DemoCommand.class,
            PredictCommand.class,
            GenerateCommand.class,
            TranslateCommand.class,
            AuditCommand.class,
            ReportCommand.class,
            LedgerCommand.class,
            BenchCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    /** Exit code for bad input: the message names the parameter and its allowed range. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for an I/O failure (disk full, permission denied, unreadable or unwritable path). */
    public static final int EXIT_IO = 5;
    /** Exit code for an integrity failure: a record disagrees with its verified log, or a ledger is damaged. */
    public static final int EXIT_INTEGRITY = 6;
    /** Exit code for a numerical failure: non-finite weights (the privacy spent stays recorded). */
    public static final int EXIT_NUMERICAL = 7;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code, without exiting the JVM (for tests). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        cli.setExitCodeExceptionMapper(UsageErrorHandler::exitCodeFor);
        cli.setExecutionExceptionHandler(new UsageErrorHandler());
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
