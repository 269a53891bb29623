package org.dplstm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dplstm.data.io.TextRecord;
import picocli.CommandLine;

/** The settings {@code dplstm train} resolves from a command line, without running it (for tests of defaults). */
final class ParsedTrainingOptions {

    private ParsedTrainingOptions() {}

    static TrainingJob.Settings settingsOf(String... args) {
        return parse(args).settings();
    }

    /** The settings once a training set with {@code perLabel} records of each of these labels is read. */
    static TrainingJob.Settings settingsFor(List<String> labels, int perLabel, boolean stepsRunHere, String... args) {
        List<TextRecord> records = new ArrayList<>();
        for (String label : labels) {
            for (int i = 0; i < perLabel; i++) {
                records.add(new TextRecord("t.csv", records.size() + 2, "text", label, null, Map.of()));
            }
        }
        // as TrainCommand does: provisional settings to read the data, then the final ones
        TrainingOptions options = parse(args);
        options.settings();
        return options.settings(records, stepsRunHere);
    }

    private static TrainingOptions parse(String... args) {
        TrainingOptions options = new TrainingOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
