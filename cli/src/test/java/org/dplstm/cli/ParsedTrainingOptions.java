package org.dplstm.cli;

import picocli.CommandLine;

/** The settings {@code dplstm train} resolves from a command line, without running it (for tests of defaults). */
final class ParsedTrainingOptions {

    private ParsedTrainingOptions() {}

    static TrainingJob.Settings settingsOf(String... args) {
        TrainingOptions options = new TrainingOptions();
        new CommandLine(options).parseArgs(args);
        return options.settings();
    }
}
