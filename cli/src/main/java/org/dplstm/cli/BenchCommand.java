package org.dplstm.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.dplstm.cli.bench.BenchResult;
import org.dplstm.cli.bench.BenchShape;
import org.dplstm.cli.bench.DpStepBenchmark;
import org.dplstm.cli.bench.StepSumsBenchmark;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.parallel.ClusterEngine;
import org.dplstm.training.recurrent.CellKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dplstm bench}: the cost of privacy for one model shape, measured in this process. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Times one training step of the LSTM classifier that train trains (with --task lm the language model,"
                    + " with --task seq2seq the encoder-decoder, with --cell gru their GRU variant; with --block a DJL"
                    + " Embedding-LSTM/GRU-Linear block model through the mechanism's block walk) three ways, in this"
                    + " process after warm-up (median of several): non-private (the engine's fused LSTM or GRU, plain"
                    + " backward, SGD update), the DP-SGD step every trainer takes (Poisson sample, fused per-example"
                    + " clipping, secure Gaussian noise, update), and the same step with a per-example autograd loop as"
                    + " its clipper. Prints their ratios and the fused clipped sum's largest relative error against the"
                    + " loop.",
            "",
            "Examples:  ./dplstm bench --format json --batch 64 --length 32 --hidden 128",
            "           ./dplstm bench --task lm --vocab 5000",
            "           ./dplstm bench --task seq2seq",
            "           ./dplstm bench --cell gru",
            "           ./dplstm bench --cell gru --block",
            "           ./dplstm bench --spark-master local[2] --batch 1024 --dataset-size 20000 --threads 1",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error",
            "2:bad input (also a shape that cannot fit in memory, or a PyTorch engine set up wrongly: see ./dplstm"
                    + " doctor)"})
public final class BenchCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size B (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--length", defaultValue = "32", description = "Sequence length T (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--embedding", defaultValue = "64", description = "Embedding size E (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--hidden", defaultValue = "128", description = "LSTM hidden size H (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--vocab", defaultValue = "5000", description = "Vocabulary size V (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--classes", defaultValue = "8", description = "Number of classes K (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--task", defaultValue = "classify",
            description = "classify, lm (next token over the vocabulary at every position) or seq2seq (encoder-decoder;"
                    + " source and target of --length tokens, both vocabularies --vocab) (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--cell", defaultValue = "lstm",
            description = "lstm or gru: the recurrent cell (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--block",
            description = "Time a DJL block model (TrainableWordEmbedding, LSTM or GRU, Linear) clipped by the mechanism's"
                    + " block walk, as DpTrainer trains it, instead of the project's own model (float32 only).")
    boolean block;

    @Option(names = "--dtype", defaultValue = "float32", description = "float32 or float64 (default: ${DEFAULT-VALUE}).")
    String dataType;

    @Option(names = "--repeat", defaultValue = "15",
            description = "Timed repetitions of the non-private and fused steps (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--loop-repeat", defaultValue = "3",
            description = "Timed repetitions of the slow per-example loop step (default: ${DEFAULT-VALUE}).")
    int loopRepetitions;

    @Mixin EngineThreads engineThreads;

    @Option(names = "--spark-master", paramLabel = "URL",
            description = "Instead: time the clipped-sum part of a DP step in this process and on Spark at this master, "
                    + "on the same data and weights (--batch is the expected batch B; see --dataset-size).")
    String sparkMaster;

    @Option(names = "--dataset-size", paramLabel = "N", defaultValue = "0",
            description = "With --spark-master: training examples N, so q = B/N (default: 0 = 20 B).")
    int datasetSize;

    @Option(names = "--micro-batch", paramLabel = "M", defaultValue = "128",
            description = "With --spark-master: examples on the engine at once (default: ${DEFAULT-VALUE}).")
    int microBatch;

    @Override
    public Integer call() throws Exception {
        engineThreads.apply();
        if (sparkMaster != null) {
            return benchSpark();
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("format must be one of [text, json], was " + format);
        }
        DataType type = ModelConfig.dataTypeNamed(dataType);
        BenchShape shape = new BenchShape(batch, length, embedding, hidden, vocab, classes, type,
                repetitions, loopRepetitions, ModelTask.parse(task), CellKind.parse(cell), block);
        shape.checkFitsThisMachine();
        DpStepBenchmark benchmark = new DpStepBenchmark(shape);
        BenchResult result;
        try (NDManager manager = NDManager.newBaseManager();
                ProgressBar bar = ProgressBars.builder("bench", benchmark.progressSteps(), System.err).build()) {
            result = benchmark.run(manager, bar::stepBy);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result.toMap()));
        } else {
            printText(out, result);
        }
        out.flush();
        return 0;
    }

    /** The Spark path's per-step overhead against this process, measured in one run. */
    private int benchSpark() throws Exception {
        if (CellKind.parse(cell) != CellKind.LSTM || block) {
            throw new IllegalArgumentException("cell must be lstm, without --block, with --spark-master (the Spark path"
                    + " times the project's LSTM model), was " + cell + (block ? " --block" : ""));
        }
        if (ModelTask.parse(task) == ModelTask.SEQ2SEQ) {
            throw new IllegalArgumentException("task must be classify with --spark-master (Spark training takes"
                    + " classifiers and language models; the encoder-decoder trains in one process), was seq2seq");
        }
        BenchShape shape = new BenchShape(batch, length, embedding, hidden, vocab, classes,
                ModelConfig.dataTypeNamed(dataType), repetitions, loopRepetitions);
        shape.checkFitsThisMachine();
        ClusterEngine engine = ClusterEngine.find().orElseThrow(() -> new IllegalArgumentException(
                "--spark-master needs the dplstm-spark module on the class path (./dplstm adds it)"));
        Map<String, Object> result;
        try (ClusterEngine.Cluster cluster = engine.connect(sparkMaster, 0);
                NDManager manager = NDManager.newBaseManager()) {
            result = new StepSumsBenchmark(shape, datasetSize > 0 ? datasetSize : 20 * batch, microBatch)
                    .run(manager, cluster.stepSums(), "spark " + sparkMaster);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        } else {
            out.printf(Locale.ROOT, "shape: B=%s N=%s T=%s E=%s H=%s V=%s (%s parameters)%n", result.get("batch"),
                    result.get("dataset_size"), result.get("length"), result.get("embedding"), result.get("hidden"),
                    result.get("vocab"), result.get("parameters"));
            out.printf(Locale.ROOT, "clipped sum, this process   %9.2f ms%n", (Double) result.get("in_process_sum_ms"));
            out.printf(Locale.ROOT, "clipped sum, %-14s %9.2f ms  (%.2fx; overhead %.2f ms a step; %d bytes broadcast)%n",
                    result.get("other"), (Double) result.get("other_sum_ms"), (Double) result.get("other_over_in_process"),
                    (Double) result.get("overhead_ms"), (Long) result.get("broadcast_bytes_per_step"));
        }
        out.flush();
        return 0;
    }

    private static void printText(PrintWriter out, BenchResult result) {
        Map<String, Object> m = result.toMap();
        out.printf(Locale.ROOT, "shape: %s %s %s B=%s T=%s E=%s H=%s V=%s K=%s %s%n", m.get("model"), m.get("cell"),
                m.get("task"),
                m.get("batch"),
                m.get("length"), m.get("embedding"), m.get("hidden"), m.get("vocab"), m.get("classes"),
                m.get("data_type"));
        out.printf(Locale.ROOT, "non-private step      %9.2f ms%n", result.nonprivateStepMs());
        out.printf(Locale.ROOT, "DP step (fused)       %9.2f ms  (%.2fx non-private; noise drawn ahead on a second thread,"
                + " %.2f ms of the step)%n", result.dpStepMs(), result.dpOverNonprivate(), result.noiseOnStepMs());
        out.printf(Locale.ROOT, "DP step (fused)       %9.2f ms  (%.2fx non-private; noise drawn within the step, %.2f ms)%n",
                result.dpStepSerialNoiseMs(), result.dpStepSerialNoiseMs() / result.nonprivateStepMs(), result.noiseMs());
        out.printf(Locale.ROOT, "clipped sum           %9.2f ms  (%s%s)%n", result.clippedSumMs(), result.method(),
                Double.isNaN(result.otherMethodClippedSumMs()) ? "; no other method for this task"
                        : String.format(Locale.ROOT, "; %s method: %.2f ms", result.otherMethod(),
                                result.otherMethodClippedSumMs()));
        if (!Double.isNaN(result.preconditionedClippedSumMs())) {
            out.printf(Locale.ROOT, "clipped sum, preconditioned %9.2f ms  (%.2fx the clipped sum: public preconditioning's"
                    + " scaled norms, fused)%n", result.preconditionedClippedSumMs(),
                    result.preconditionedClippedSumMs() / result.clippedSumMs());
        }
        out.printf(Locale.ROOT, "DP step (per-example) %9.2f ms  (%.1fx the fused DP step, %.1fx the non-private step)%n",
                result.loopStepMs(), result.loopOverDp(), result.loopOverNonprivate());
        out.printf(Locale.ROOT, "max relative error of the fused clipped sum: %.3g (%s)%n",
                result.maxRelError(), result.worstParameter());
        out.printf(Locale.ROOT, "noise: %s%n", result.noiseSource());
    }
}
