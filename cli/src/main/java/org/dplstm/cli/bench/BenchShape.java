package org.dplstm.cli.bench;

import ai.djl.ndarray.types.DataType;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.recurrent.CellKind;

/**
 * One model and batch shape to time: batch B, padded length T, embedding E, hidden H,
 * vocabulary V, classes K (unused by a language model, whose output is the vocabulary), element
 * type, how many timed repetitions (median reported), the task (classifier, language model, or
 * encoder-decoder: then sources and targets both have length T and vocabulary V), the recurrent
 * cell (LSTM or GRU) and whether the model is the project's own (what {@code train} trains) or a
 * DJL block model clipped by the mechanism's block walk ({@code block}).
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
        ModelTask task,
        CellKind cell,
        boolean block) {

    /** A classifier's shape. */
    public BenchShape(int batch, int length, int embedding, int hidden, int vocab, int classes, DataType dataType,
            int repetitions, int loopRepetitions) {
        this(batch, length, embedding, hidden, vocab, classes, dataType, repetitions, loopRepetitions,
                ModelTask.CLASSIFY, CellKind.LSTM, false);
    }

    /** The project's LSTM model's shape. */
    public BenchShape(int batch, int length, int embedding, int hidden, int vocab, int classes, DataType dataType,
            int repetitions, int loopRepetitions, ModelTask task) {
        this(batch, length, embedding, hidden, vocab, classes, dataType, repetitions, loopRepetitions, task,
                CellKind.LSTM, false);
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
        if (cell == null) {
            throw new IllegalArgumentException("cell must be one of [lstm, gru], was null");
        }
        if ((cell == CellKind.GRU || block) && task == ModelTask.SEQ2SEQ) {
            throw new IllegalArgumentException("cell must be lstm, without --block, with task seq2seq (the"
                    + " encoder-decoder is the project's LSTM model), was " + cell.id() + (block ? " --block" : ""));
        }
        if (block && dataType != DataType.FLOAT32) {
            // DJL's LSTM and GRU blocks make their zero initial state in float32 whatever the input's type
            throw new IllegalArgumentException("dtype must be float32 for a block model (DJL's recurrent blocks run in"
                    + " float32 only), was " + dataType.toString().toLowerCase(java.util.Locale.ROOT));
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
