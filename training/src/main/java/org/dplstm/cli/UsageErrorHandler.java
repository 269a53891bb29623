package org.dplstm.cli;

import java.io.PrintWriter;
import org.dplstm.audit.verify.IntegrityException;
import picocli.CommandLine;

/**
 * Turns bad input into one line on standard error and exit code 2, and an integrity failure
 * ({@link IntegrityException}) into one line and exit code 6. An {@link IllegalArgumentException}
 * from a builder already names the parameter and its allowed range, so its message is printed as
 * it is; anything else is a bug and keeps its stack trace.
 */
final class UsageErrorHandler
        implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    /** Exit code for an integrity failure: a record disagrees with its verified log, or a ledger is damaged. */
    static final int EXIT_INTEGRITY = 6;

    static int exitCodeFor(Throwable error) {
        if (error instanceof IntegrityException) {
            return EXIT_INTEGRITY;
        }
        return isUsageError(error) ? Main.EXIT_USAGE : 1;
    }

    private static boolean isUsageError(Throwable error) {
        return error instanceof IllegalArgumentException
                || error instanceof CommandLine.ParameterException;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException error, String[] args) {
        // One line a script can show as it is: picocli's message, what the option allows (its
        // description's first sentence), and where to read more.
        StringBuilder line = new StringBuilder("dplstm: ").append(error.getMessage());
        CommandLine.Model.ArgSpec arg = error.getArgSpec();
        if (arg != null && arg.description().length > 0) {
            line.append(" (").append(firstSentence(arg.description())).append(")");
        }
        line.append("; see '")
                .append(error.getCommandLine().getCommandSpec().qualifiedName())
                .append(" --help'");
        PrintWriter err = error.getCommandLine().getErr();
        err.println(line);
        err.flush();
        return Main.EXIT_USAGE;
    }

    private static String firstSentence(String[] description) {
        String text = String.join(" ", description).replaceAll("\\s+", " ").trim();
        int end = text.indexOf(". ");
        return end < 0 ? text.replaceAll("\\.$", "") : text.substring(0, end);
    }

    @Override
    public int handleExecutionException(
            Exception error, CommandLine cli, CommandLine.ParseResult parseResult) throws Exception {
        if (isUsageError(error) || error instanceof IntegrityException) {
            cli.getErr().println("dplstm: " + error.getMessage());
            cli.getErr().flush();
            return exitCodeFor(error);
        }
        throw error;
    }
}
