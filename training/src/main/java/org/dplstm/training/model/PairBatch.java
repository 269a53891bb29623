package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * An encoder-decoder's batch: per example a source and a target token sequence, each a right-padded
 * (B, L) {@link Batch} of its own (labels unused, groups on the source). The DP-SGD loop's batches
 * carry one token row per example, so a pair travels PACKED: the source's ids followed by the
 * target's, the label holding the source length (a seq2seq data set's label, see {@code
 * PairEncoder}). {@link #unpack} splits a packed batch; {@link #pack} builds one.
 */
public record PairBatch(Batch source, Batch target) {

    public long size() {
        return source.size();
    }

    /** Splits a packed batch (on the host: B·L ids) into its sources and targets. */
    public static PairBatch unpack(NDManager manager, Batch packed) {
        int batch = Math.toIntExact(packed.size());
        long width = packed.tokens().getShape().get(1);
        long[] tokens = packed.tokens().toType(DataType.INT64, false).toLongArray();
        long[] lengths = packed.lengths().toType(DataType.INT64, false).toLongArray();
        long[] sourceLengths = packed.labels().toType(DataType.INT64, false).toLongArray();
        int sourceWidth = 1;
        int targetWidth = 1;
        for (int b = 0; b < batch; b++) {
            if (sourceLengths[b] < 1 || sourceLengths[b] >= lengths[b]) {
                throw new IllegalArgumentException("source length of example " + b + " must be in [1, "
                        + (lengths[b] - 1) + "] (a pair has a source and a target), was " + sourceLengths[b]);
            }
            sourceWidth = Math.max(sourceWidth, (int) sourceLengths[b]);
            targetWidth = Math.max(targetWidth, (int) (lengths[b] - sourceLengths[b]));
        }
        long[] sources = new long[batch * sourceWidth];
        long[] targets = new long[batch * targetWidth];
        long[] targetLengths = new long[batch];
        for (int b = 0; b < batch; b++) {
            int split = (int) sourceLengths[b];
            targetLengths[b] = lengths[b] - split;
            System.arraycopy(tokens, (int) (b * width), sources, b * sourceWidth, split);
            System.arraycopy(tokens, (int) (b * width) + split, targets, b * targetWidth, (int) targetLengths[b]);
        }
        NDArray noLabels = manager.zeros(new Shape(batch), DataType.INT64);
        return new PairBatch(
                new Batch(manager.create(sources, new Shape(batch, sourceWidth)), manager.create(sourceLengths),
                        noLabels, packed.groups()),
                new Batch(manager.create(targets, new Shape(batch, targetWidth)), manager.create(targetLengths),
                        noLabels, packed.groups()));
    }

    /** A packed batch of (source, target) id sequences, each at least one id long. */
    public static Batch pack(NDManager manager, List<int[]> sources, List<int[]> targets) {
        if (sources.size() != targets.size()) {
            throw new IllegalArgumentException("targets must have one entry per source (" + sources.size() + "), had "
                    + targets.size());
        }
        int batch = sources.size();
        int width = 1;
        for (int b = 0; b < batch; b++) {
            width = Math.max(width, sources.get(b).length + targets.get(b).length);
        }
        long[] tokens = new long[batch * width];
        long[] lengths = new long[batch];
        long[] sourceLengths = new long[batch];
        for (int b = 0; b < batch; b++) {
            int[] source = sources.get(b);
            int[] target = targets.get(b);
            for (int t = 0; t < source.length; t++) {
                tokens[b * width + t] = source[t];
            }
            for (int t = 0; t < target.length; t++) {
                tokens[b * width + source.length + t] = target[t];
            }
            lengths[b] = source.length + target.length;
            sourceLengths[b] = source.length;
        }
        return new Batch(manager.create(tokens, new Shape(batch, width)), manager.create(lengths),
                manager.create(sourceLengths), null);
    }
}
