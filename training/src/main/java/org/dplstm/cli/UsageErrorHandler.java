package org.dplstm.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns bad input into one line on standard error and exit code 2. An {@link
 * IllegalArgumentException} from a builder already names the parameter and its allowed range, so
 * its message is printed as it is; anything else is a bug and keeps its stack trace.
 */
final class UsageErrorHandler
        implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    static int exitCodeFor(Throwable error) {
        return isUsageError(error) ? Main.EXIT_USAGE : 1;
    }

    private static boolean isUsageError(Throwable error) {
        return error instanceof IllegalArgumentException
                || error instanceof CommandLine.ParameterException;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException error, String[] args) {
        PrintWriter err = error.getCommandLine().getErr();
        err.println("dplstm: " + error.getMessage());
        err.println("Try '" + error.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return Main.EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(
            Exception error, CommandLine cli, CommandLine.ParseResult parseResult) throws Exception {
        if (isUsageError(error)) {
            cli.getErr().println("dplstm: " + error.getMessage());
            cli.getErr().flush();
            return Main.EXIT_USAGE;
        }
        throw error;
    }
}
