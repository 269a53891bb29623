package org.dplstm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dplstm audit}: checks of a finished (or crashed) run; each check is a subcommand. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Check a run after the fact: its audit log (verify), and more.",
        subcommands = {AuditVerifyCommand.class})
public final class AuditCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
