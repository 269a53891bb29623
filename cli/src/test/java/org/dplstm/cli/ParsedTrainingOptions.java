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
        return settingsFor(labels, perLabel, 0, stepsRunHere, args);
    }

    /** As above, the records of each label spread over {@code usersPerLabel} users of their own (0: no user ids). */
    static TrainingJob.Settings settingsFor(List<String> labels, int perLabel, int usersPerLabel, boolean stepsRunHere,
            String... args) {
        return settingsFor(labels, perLabel, usersPerLabel, stepsRunHere, true, args);
    }

    /** As above, the steps' sums computed in this process alone ({@code oneProcess}) or split over devices. */
    static TrainingJob.Settings settingsFor(List<String> labels, int perLabel, int usersPerLabel, boolean stepsRunHere,
            boolean oneProcess, String... args) {
        List<TextRecord> records = new ArrayList<>();
        for (String label : labels) {
            for (int i = 0; i < perLabel; i++) {
                String user = usersPerLabel == 0 ? null : label + "-user" + i % usersPerLabel;
                records.add(new TextRecord("t.csv", records.size() + 2, "text", label, user, Map.of()));
            }
        }
        // as TrainCommand does: provisional settings to read the data, then the final ones
        TrainingOptions options = parse(args);
        options.settings();
        return options.settings(records, stepsRunHere, oneProcess);
    }

    /** The settings once an (empty) training set is read, the steps' sums computed in this process alone or not. */
    static TrainingJob.Settings settingsWhere(boolean oneProcess, String... args) {
        return parse(args).settings(List.of(), true, oneProcess);
    }

    private static TrainingOptions parse(String... args) {
        TrainingOptions options = new TrainingOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
