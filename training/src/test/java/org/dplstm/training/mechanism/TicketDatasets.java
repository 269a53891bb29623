package org.dplstm.training.mechanism;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.Vocabulary;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.classifier.TicketTexts;

/**
 * The three-topic test tickets as DJL datasets for a block model: a vocabulary from the templates'
 * public word list (index 0 pads, 1 is unknown), texts left-padded to a fixed length (so the last
 * position is always a real token), labels as class ids.
 */
final class TicketDatasets {

    static final int LENGTH = 10;

    private TicketDatasets() {}

    static Vocabulary vocabulary() {
        List<String> tokens = new ArrayList<>(List.of("<pad>", "<unk>"));
        tokens.addAll(TicketTexts.words());
        return new DefaultVocabulary(tokens);
    }

    static int classes() {
        return TicketTexts.labels().size();
    }

    static ArrayDataset dataset(NDManager manager, Vocabulary vocabulary, int count, long seed) {
        List<TextRecord> records = TicketTexts.generate(count, seed);
        long[] ids = new long[count * LENGTH];
        long[] labels = new long[count];
        for (int r = 0; r < count; r++) {
            String[] words = records.get(r).text().split(" ");
            int offset = LENGTH - Math.min(LENGTH, words.length);
            for (int t = 0; t < LENGTH - offset; t++) {
                String word = words[words.length - (LENGTH - offset) + t];
                ids[r * LENGTH + offset + t] = vocabulary.contains(word) ? vocabulary.getIndex(word) : 1;
            }
            labels[r] = TicketTexts.labels().indexOf(records.get(r).label());
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(ids, new Shape(count, LENGTH)))
                .optLabels(manager.create(labels))
                .setSampling(1, false)
                .build();
    }

    /** Each record's user id, three records a user (as the generator assigns them). */
    static long[] users(int count) {
        long[] users = new long[count];
        for (int i = 0; i < count; i++) {
            users[i] = i / 3;
        }
        return users;
    }
}
