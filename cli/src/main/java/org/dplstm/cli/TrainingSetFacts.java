package org.dplstm.cli;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.PrivacyUnit;

/**
 * What a classifier's defaults may know of its training set: the label names and N, the number of
 * privacy units (records, or distinct users under {@link PrivacyUnit#USER}), both treated as public
 * (the model releases its labels; N, like every DP-SGD implementation's dataset size, sets the
 * sampling rate q = B/N that the plan and the report release), never the texts or the count of
 * any one label. N counts units, not records, so that
 * one unit moves it by one whatever the privacy unit.
 *
 * @param labels the distinct label names (empty: not read yet)
 * @param units the number of privacy units (0: not read yet)
 * @param unit what {@code units} counts
 */
record TrainingSetFacts(Set<String> labels, int units, PrivacyUnit unit) {

    /** Before the data is read: no labels, no size. */
    static final TrainingSetFacts UNREAD = new TrainingSetFacts(Set.of(), 0, PrivacyUnit.EXAMPLE);

    TrainingSetFacts {
        labels = Set.copyOf(labels);
        Objects.requireNonNull(unit, "unit");
    }

    static TrainingSetFacts of(List<TextRecord> trainRecords, PrivacyUnit unit) {
        Set<String> labels = trainRecords.stream().map(TextRecord::label).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        int units = unit == PrivacyUnit.USER
                ? (int) trainRecords.stream().map(TextRecord::user).filter(Objects::nonNull).distinct().count()
                : trainRecords.size();
        return new TrainingSetFacts(labels, units, unit);
    }

    boolean unread() {
        return labels.isEmpty() && units == 0;
    }

    /** Privacy units per label on average; positive infinity when not read. */
    double unitsPerLabel() {
        return labels.isEmpty() ? Double.POSITIVE_INFINITY : (double) units / labels.size();
    }

    /**
     * What N counts, for messages: "records" (as read, before sanitization drops any: not the
     * planner's examples, {@link PrivacyUnit#plural}) or "users".
     */
    String unitsName() {
        return unit == PrivacyUnit.USER ? "users" : "records";
    }
}
