package org.dplstm.training.model;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small random packed pair batches ({@link PairBatch}) for encoder-decoder engine tests. */
public final class TestPairs {

    private TestPairs() {}

    /**
     * One pair per entry of {@code sourceLengths} and {@code targetLengths}, random ids from a
     * small range (so tokens repeat within a sequence and embedding rows add up), optional groups.
     */
    public static Batch random(NDManager manager, ModelConfig config, long[] sourceLengths, long[] targetLengths,
            long[] groups, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> sources = new ArrayList<>();
        List<int[]> targets = new ArrayList<>();
        for (int b = 0; b < sourceLengths.length; b++) {
            sources.add(randomIds(random, (int) sourceLengths[b], config.vocabSize()));
            targets.add(randomIds(random, (int) targetLengths[b], config.targetVocabSize()));
        }
        Batch packed = PairBatch.pack(manager, sources, targets);
        return groups == null ? packed
                : new Batch(packed.tokens(), packed.lengths(), packed.labels(), manager.create(groups));
    }

    private static int[] randomIds(SplittableRandom random, int length, int vocab) {
        int[] ids = new int[length];
        for (int t = 0; t < length; t++) {
            ids[t] = 1 + random.nextInt(Math.min(vocab - 1, 5));
        }
        return ids;
    }
}
