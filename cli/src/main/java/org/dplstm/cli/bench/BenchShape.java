package org.dplstm.cli.bench;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.dplstm.training.model.ModelFootprint;
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
                    + " float32 only), was " + dataType.toString().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Bad input when the batch cannot exist on this machine, checked in long and double arithmetic
     * before anything is allocated (an out-of-memory error mid-run is no answer): its B x T tokens
     * (twice for an encoder-decoder's sources and targets) must fit one array, their Java arrays the
     * heap, and the gate activations of the whole batch with their gradients (a language model's
     * logits too) the machine's memory. Floors: a shape admitted may still need more. The model's
     * own sizes are checked when it is built (one parameter must fit one array).
     */
    public void checkFits(long machineBytes, long heapBytes) {
        String options = "reduce --batch or --length";
        double sides = task == ModelTask.SEQ2SEQ ? 2 : 1;
        double tokens = sides * batch * (double) length;
        // one array per side: an encoder-decoder's sources and targets are two
        if (batch * (double) length > ModelFootprint.MAX_ARRAY) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--batch %d x --length %d is %.4g tokens, more than one array holds (%d): %s",
                    batch, length, batch * (double) length, ModelFootprint.MAX_ARRAY, options));
        }
        // each example's token ids: an int[T] with its header, plus its list entry
        double javaBytes = sides * batch * (Integer.BYTES * (double) length + 32);
        if (javaBytes > heapBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--batch %d x --length %d needs at least %s of Java heap for its token ids, more than the %s it may"
                            + " use: %s, or give Java more heap (DPLSTM_JAVA_OPTS=-Xmx...)",
                    batch, length, ModelFootprint.formatBytes(javaBytes), ModelFootprint.formatBytes(heapBytes), options));
        }
        double valueBytes = dataType == DataType.FLOAT64 ? Double.BYTES : Float.BYTES;
        double perToken = (double) cell.gates() * hidden + (task == ModelTask.LANGUAGE_MODEL ? vocab : 0);
        double needed = 2 * valueBytes * tokens * perToken;
        if (needed > machineBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--batch %d x --length %d with --hidden %d needs at least %s for the batch's activations and their"
                            + " gradients, more than this machine's %s of memory: %s, --hidden%s",
                    batch, length, hidden, ModelFootprint.formatBytes(needed), ModelFootprint.formatBytes(machineBytes),
                    options,
                    task == ModelTask.LANGUAGE_MODEL ? " or --vocab" : ""));
        }
    }

    /** {@link #checkFits(long, long)} against this machine's memory and this JVM's heap. */
    public void checkFitsThisMachine() {
        checkFits(ModelFootprint.machineBytes(), Runtime.getRuntime().maxMemory());
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
