package org.dplstm.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.PrivacyUnit;

/**
 * One sampling unit as an executor holds it: its id (the input of its Poisson coin) and its
 * examples' token ids and labels (one example, or all of a user's at user level, so a unit's
 * examples are always clipped together in one partition).
 */
public record TrainingUnit(long id, int[][] tokens, int[] labels) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Every unit of {@code data}: unit i is example i, or at user level the i-th user. */
    public static List<TrainingUnit> of(EncodedDataset data, PrivacyUnit unit) {
        int[][] members = unit == PrivacyUnit.USER ? data.examplesByUser() : null;
        int count = data.unitCount(unit);
        List<TrainingUnit> units = new ArrayList<>(count);
        for (int id = 0; id < count; id++) {
            int[] examples = members != null ? members[id] : new int[] {id};
            int[][] tokens = new int[examples.length][];
            int[] labels = new int[examples.length];
            for (int e = 0; e < examples.length; e++) {
                tokens[e] = data.tokensAt(examples[e]);
                labels[e] = data.labelOf(examples[e]);
            }
            units.add(new TrainingUnit(id, tokens, labels));
        }
        return units;
    }

    public int size() {
        return labels.length;
    }
}
