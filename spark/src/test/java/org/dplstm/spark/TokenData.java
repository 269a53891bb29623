package org.dplstm.spark;

import java.util.Random;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.model.ModelConfig;

/** Random token sequences with labels (and users), and a small classifier shape for them. */
final class TokenData {

    static final int VOCABULARY = 40;
    static final int CLASSES = 3;

    private TokenData() {}

    /** {@code size} examples of 1–8 tokens; with users, each user has 1–4 consecutive examples. */
    static EncodedDataset random(int size, long seed, boolean withUsers) {
        Random random = new Random(seed);
        int[][] tokens = new int[size][];
        int[] labels = new int[size];
        int[] users = new int[size];
        int user = 0;
        for (int i = 0; i < size; i++) {
            labels[i] = random.nextInt(CLASSES);
            tokens[i] = random.ints(1 + random.nextInt(8), 1, VOCABULARY).toArray();
            if (i > 0 && random.nextInt(3) == 0) {
                user++;
            }
            users[i] = user;
        }
        return EncodedDataset.of(tokens, labels, withUsers ? users : null, CLASSES);
    }

    static ModelConfig classifier() {
        return ModelConfig.builder().vocabSize(VOCABULARY).embeddingDim(8).hiddenSize(12).numClasses(CLASSES).build();
    }
}
