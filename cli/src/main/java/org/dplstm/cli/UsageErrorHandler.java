package org.dplstm.cli;

import java.io.PrintWriter;
import org.dplstm.audit.verify.IntegrityException;
import org.dplstm.training.dpsgd.NonFiniteTrainingException;
import picocli.CommandLine;

/**
 * Turns a failure the user can act on into one line on standard error and the exit code of the
 * README's table: bad input (an {@link IllegalArgumentException} from a builder already names the
 * parameter and its allowed range, so its message is printed as it is) exits 2; an I/O failure
 * (an {@link java.io.IOException} or {@link java.io.UncheckedIOException} anywhere in the chain:
 * a full disk, a permission, a dangling path) exits 5 with the path and the reason; an integrity
 * failure ({@link IntegrityException}: a record disagrees with its verified log, a damaged ledger)
 * exits 6; non-finite weights ({@link NonFiniteTrainingException}) exit 7. Anything else is a bug
 * and keeps its stack trace; with {@value #DEBUG_VARIABLE} set, the one-line failures print theirs
 * too.
 */
final class UsageErrorHandler
        implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    /** Environment variable that adds the stack trace under a failure's one line. */
    static final String DEBUG_VARIABLE = "DPLSTM_DEBUG";

    static int exitCodeFor(Throwable error) {
        if (error instanceof IntegrityException) {
            return Main.EXIT_INTEGRITY;
        }
        if (isUsageError(error)) {
            return Main.EXIT_USAGE;
        }
        if (error instanceof NonFiniteTrainingException) {
            return Main.EXIT_NUMERICAL;
        }
        return IoFailureLine.isIoFailure(error) ? Main.EXIT_IO : 1;
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
        int code = exitCodeFor(error);
        if (code == 1) {
            throw error;
        }
        PrintWriter err = cli.getErr();
        err.println("dplstm: " + (code == Main.EXIT_IO ? IoFailureLine.of(error) : error.getMessage()));
        String debug = System.getenv(DEBUG_VARIABLE);
        if (debug != null && !debug.isBlank()) {
            error.printStackTrace(err);
        }
        err.flush();
        return code;
    }
}
