package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/** Small random right-padded batches for engine tests. */
public final class TestBatches {

    private TestBatches() {}

    /**
     * B examples padded to T with the given lengths (token 0 after each length), random labels (0 for a language model),
     * and optional groups.
     */
    public static Batch random(NDManager manager, ModelConfig config, long[] lengths, int steps, long[] groups, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int batch = lengths.length;
        long[] tokens = new long[batch * steps];
        long[] labels = new long[batch];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                // small id range so tokens repeat within an example (embedding rows add up)
                tokens[b * steps + t] = 1 + random.nextInt(Math.min(config.vocabSize() - 1, 5));
            }
            labels[b] = config.numClasses() > 0 ? random.nextInt(config.numClasses()) : 0;
        }
        NDArray groupArray = groups == null ? null : manager.create(groups);
        return new Batch(
                manager.create(tokens, new Shape(batch, steps)),
                manager.create(lengths),
                manager.create(labels),
                groupArray);
    }
}
