package org.dplstm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dplstm audit}: checks of a finished (or crashed) run; each check is a subcommand. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Check a run: its audit log (verify) and, by training with planted canaries, what a model reveals (privacy).",
        subcommands = {AuditVerifyCommand.class, AuditPrivacyCommand.class})
public final class AuditCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
