package org.dplstm.cli;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.dplstm.data.io.TextRecord;

/**
 * What a classifier's defaults may know of its training set: the label names and the number of
 * records read, both treated as public (the model releases its labels; report.json the number of
 * examples), never the texts or the count of any one label.
 *
 * @param labels the distinct label names (empty: not read yet)
 * @param records the number of training records (0: not read yet)
 */
record TrainingSetFacts(Set<String> labels, int records) {

    /** Before the data is read: no labels, no size. */
    static final TrainingSetFacts UNREAD = new TrainingSetFacts(Set.of(), 0);

    TrainingSetFacts {
        labels = Set.copyOf(labels);
    }

    static TrainingSetFacts of(List<TextRecord> trainRecords) {
        return new TrainingSetFacts(trainRecords.stream().map(TextRecord::label).filter(Objects::nonNull)
                .collect(Collectors.toSet()), trainRecords.size());
    }

    boolean unread() {
        return labels.isEmpty() && records == 0;
    }

    /** Records per label on average; positive infinity when not read. */
    double recordsPerLabel() {
        return labels.isEmpty() ? Double.POSITIVE_INFINITY : (double) records / labels.size();
    }
}
