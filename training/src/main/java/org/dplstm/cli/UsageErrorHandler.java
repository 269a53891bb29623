package org.dplstm.cli;

import java.io.IOException;
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

    /** Exit code for an I/O failure (a full disk, a permission). Interim: issue 16 item 12 words these lines. */
    static final int EXIT_IO = 5;

    static int exitCodeFor(Throwable error) {
        if (error instanceof IntegrityException) {
            return EXIT_INTEGRITY;
        }
        if (isUsageError(error)) {
            return Main.EXIT_USAGE;
        }
        return ioFailure(error) != null ? EXIT_IO : 1;
    }

    /** The outermost IOException in the chain (the one with the most context), or null. */
    private static IOException ioFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
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
        if (exitCodeFor(error) != 1) {
            IOException io = ioFailure(error);
            String message = io != null && !isUsageError(error) ? io.getMessage() : error.getMessage();
            cli.getErr().println("dplstm: " + String.valueOf(message).lines().findFirst().orElse(""));
            cli.getErr().flush();
            return exitCodeFor(error);
        }
        throw error;
    }
}
