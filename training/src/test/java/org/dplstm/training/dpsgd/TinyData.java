package org.dplstm.training.dpsgd;

import java.util.Random;

/** Small synthetic token data: class c favours tokens of its own range, plus shared noise tokens. */
public final class TinyData {

    private TinyData() {}

    public static EncodedDataset separable(int size, int vocabulary, int classes, long seed, boolean withUsers) {
        Random random = new Random(seed);
        int[][] tokens = new int[size][];
        int[] labels = new int[size];
        int[] users = new int[size];
        int perClass = (vocabulary - 1) / (classes + 1);
        int user = 0;
        int leftForUser = 0;
        for (int i = 0; i < size; i++) {
            int label = random.nextInt(classes);
            int length = 2 + random.nextInt(5);
            tokens[i] = new int[length];
            for (int t = 0; t < length; t++) {
                boolean signal = random.nextDouble() < 0.6;
                int block = signal ? label : classes; // the last block is shared noise
                tokens[i][t] = 1 + block * perClass + random.nextInt(perClass);
            }
            labels[i] = label;
            if (leftForUser == 0) {
                user++;
                leftForUser = 1 + random.nextInt(4);
            }
            users[i] = user * 7; // ids need not be dense
            leftForUser--;
        }
        return EncodedDataset.of(tokens, labels, withUsers ? users : null, classes);
    }
}
