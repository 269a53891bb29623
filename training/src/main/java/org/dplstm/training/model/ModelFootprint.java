package org.dplstm.training.model;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Whether a model shape can exist at all, checked in long arithmetic before anything is written
 * (an int overflow or an out-of-memory error mid-run is no answer): every parameter must fit one
 * Java array (the initial weights are drawn into one per parameter), the initial weights of the
 * largest parameter must fit the Java heap, and the parameters with their gradients plus one
 * micro-batch's gate activations must fit the machine's memory. The sizes are floors: a shape
 * refused here could never train; one admitted may still need more.
 */
public final class ModelFootprint {

    /** The largest array a JVM allocates (a few header words below Integer.MAX_VALUE). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private ModelFootprint() {}

    /** Total number of parameter values (a double: absurd shapes would overflow a long). */
    public static double parameterCount(ModelConfig config) {
        double total = 0;
        for (String name : ParameterLayout.names(config)) {
            total += ParameterLayout.shape(config, name).size();
        }
        return total;
    }

    /** Bad input when a parameter would have more values than one array holds. */
    static void checkArrays(ModelConfig config) {
        for (String name : ParameterLayout.names(config)) {
            Shape shape = ParameterLayout.shape(config, name);
            if (shape.size() > MAX_ARRAY) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "parameter %s would have shape %s, %d values: more than one array holds (%d); reduce %s",
                        name, shape, shape.size(), MAX_ARRAY, optionsShaping(config, name)));
            }
        }
    }

    /**
     * Bad input when the model cannot train on this machine: its parameters and their gradients
     * plus one micro-batch of {@code rows} texts of {@code tokens} tokens (the gate pre-activations
     * and their gradients of every layer and direction; a language model's logits and their
     * gradients) exceed the machine's memory, or its largest parameter's initial weights (drawn as
     * doubles) exceed the Java heap.
     */
    public static void checkFitsThisMachine(ModelConfig config, long rows, int tokens) {
        checkFits(config, rows, tokens, machineBytes(), Runtime.getRuntime().maxMemory());
    }

    /**
     * This machine's memory; a JVM without the com.sun extension cannot tell it, and then every
     * check against it is left out (Long.MAX_VALUE).
     */
    public static long machineBytes() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getTotalMemorySize() : Long.MAX_VALUE;
    }

    /** As {@link #checkFitsThisMachine}, for a machine of {@code machineBytes} and a heap of {@code heapBytes}. */
    static void checkFits(ModelConfig config, long rows, int tokens, long machineBytes, long heapBytes) {
        // Doubles: the products of absurd sizes overflow a long, and a floor needs no exact bytes.
        double valueBytes = config.dataType() == DataType.FLOAT64 ? Double.BYTES : Float.BYTES;
        double weights = 2 * parameterCount(config) * valueBytes;
        double needed;
        if (config.kind() == ModelKind.NGRAM) {
            // each text's dense bag of buckets and its gradient's factors, besides the token ids
            needed = weights + 2 * valueBytes * rows * ((double) config.featureSize() + tokens);
        } else {
            double perToken = (double) config.cell().gates() * config.layers() * config.directions()
                    * config.hiddenSize() + (config.task() == ModelTask.LANGUAGE_MODEL ? config.vocabSize() : 0);
            needed = weights + 2 * valueBytes * rows * tokens * perToken;
        }
        if (needed > machineBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the model's %.4g parameters with their gradients and one micro-batch of %d texts x %d tokens"
                            + " need at least %s, more than this machine's %s of memory: reduce --hidden, --layers,"
                            + " --embedding, --vocab-size, --max-length or --micro-batch",
                    parameterCount(config), rows, tokens, formatBytes(needed), formatBytes(machineBytes)));
        }
        String largest = null;
        long largestSize = 0;
        for (String name : ParameterLayout.names(config)) {
            long size = ParameterLayout.shape(config, name).size();
            if (size > largestSize) {
                largest = name;
                largestSize = size;
            }
        }
        double initialBytes = (double) largestSize * Double.BYTES;
        if (initialBytes > heapBytes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "parameter %s's initial weights need %s of Java heap, more than the %s it may use: reduce %s,"
                            + " or give Java more heap (DPLSTM_JAVA_OPTS=-Xmx...)",
                    largest, formatBytes(initialBytes), formatBytes(heapBytes), optionsShaping(config, largest)));
        }
    }

    /** The command-line options that set a parameter's dimensions. */
    private static String optionsShaping(ModelConfig config, String name) {
        boolean languageModel = config.task() == ModelTask.LANGUAGE_MODEL;
        if (name.equals("embedding")) {
            return "--vocab-size or --embedding";
        } else if (name.equals("output.weight") && languageModel) {
            return "--vocab-size or --hidden";
        } else if (name.endsWith(".l0.fwd.w_ih") || name.endsWith(".l0.bwd.w_ih")) {
            return "--hidden or --embedding";
        }
        return "--hidden";
    }

    /** Bytes as messages state them: GB from one gigabyte up, else MB. */
    public static String formatBytes(double bytes) {
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
}
