package org.dplstm.training.bench;

import ai.djl.ndarray.types.DataType;
import org.dplstm.training.model.ModelTask;

/**
 * One model and batch shape to time: batch B, padded length T, embedding E, hidden H,
 * vocabulary V, classes K (unused by a language model, whose output is the vocabulary), element
 * type, how many timed repetitions (median reported), and the task (classifier, language model, or
 * encoder-decoder: then sources and targets both have length T and vocabulary V).
 */
public record BenchShape(
        int batch,
        int length,
        int embedding,
        int hidden,
        int vocab,
        int classes,
        DataType dataType,
        int repetitions,
        int loopRepetitions,
        ModelTask task) {

    /** A classifier's shape. */
    public BenchShape(int batch, int length, int embedding, int hidden, int vocab, int classes, DataType dataType,
            int repetitions, int loopRepetitions) {
        this(batch, length, embedding, hidden, vocab, classes, dataType, repetitions, loopRepetitions,
                ModelTask.CLASSIFY);
    }

    public BenchShape {
        atLeast("batch", batch, 1);
        atLeast("length", length, 1);
        atLeast("embedding", embedding, 1);
        atLeast("hidden", hidden, 1);
        atLeast("vocab", vocab, 2);
        atLeast("classes", classes, 2);
        atLeast("repetitions", repetitions, 1);
        atLeast("loop repetitions", loopRepetitions, 1);
        if (task == null) {
            throw new IllegalArgumentException("task must be one of [classify, lm, seq2seq], was null");
        }
    }

    /** B=64, T=32, E=64, H=128, V=5000, 8 classes, float32 (issue 4's default shape). */
    public static BenchShape defaults() {
        return new BenchShape(64, 32, 64, 128, 5000, 8, DataType.FLOAT32, 15, 3);
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
    }
}
