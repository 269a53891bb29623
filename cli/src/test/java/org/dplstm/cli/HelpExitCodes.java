package org.dplstm.cli;

import java.util.Map;
import picocli.CommandLine;

/** The exit codes a command's {@code --help} lists (code to meaning), so tests can hold the help to what the command does. */
final class HelpExitCodes {

    private HelpExitCodes() {}

    /** The list of the command named by the leading words of {@code args} (e.g. "audit", "verify", "RUN_DIR"). */
    static Map<String, String> of(String... args) {
        CommandLine command = Main.newCommandLine();
        for (String word : args) {
            CommandLine sub = command.getSubcommands().get(word);
            if (sub == null) {
                break;
            }
            command = sub;
        }
        return command.getCommandSpec().usageMessage().exitCodeList();
    }
}
