package org.dplstm.training.bench;

import ai.djl.ndarray.types.DataType;

/**
 * One model and batch shape to time: batch B, padded length T, embedding E, hidden H,
 * vocabulary V, classes K, element type, and how many timed repetitions (median reported).
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
        int loopRepetitions) {

    public BenchShape {
        atLeast("batch", batch, 1);
        atLeast("length", length, 1);
        atLeast("embedding", embedding, 1);
        atLeast("hidden", hidden, 1);
        atLeast("vocab", vocab, 2);
        atLeast("classes", classes, 2);
        atLeast("repetitions", repetitions, 1);
        atLeast("loop repetitions", loopRepetitions, 1);
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
