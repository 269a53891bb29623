package org.dplstm.cli.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dplstm.privacy.sampling.PoissonSampler;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.MicroBatchedSums;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.PrivacyPlanner;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.pergrad.ModelClippers;
import org.dplstm.training.model.ModelConfig;

/**
 * The clipped-sum part of a DP step computed in this process and by another {@link StepSums}
 * (a Spark cluster, several devices), timed in one run on the same synthetic data and weights:
 * the rest of a step (noise, division, update) is the same on both, on the driver. Reports the
 * medians, their difference (the per-step overhead) and the bytes a cluster step moves.
 */
public final class StepSumsBenchmark {

    private final BenchShape shape;
    private final int datasetSize;
    private final int microBatchSize;

    /**
     * @param shape the expected batch B and the model's shape (each text has exactly T tokens)
     * @param datasetSize N (q = B/N)
     */
    public StepSumsBenchmark(BenchShape shape, int datasetSize, int microBatchSize) {
        if (datasetSize < shape.batch()) {
            throw new IllegalArgumentException("dataset size must be >= the batch " + shape.batch() + ", was "
                    + datasetSize);
        }
        this.shape = shape;
        this.datasetSize = datasetSize;
        this.microBatchSize = microBatchSize;
    }

    /** Times {@code other} against the in-process sums on the same data and weights ({@code otherName} labels it). */
    public Map<String, Object> run(NDManager manager, StepSums.Factory other, String otherName) {
        EncodedDataset data = data();
        ModelConfig modelConfig = ModelConfig.builder().vocabSize(shape.vocab()).embeddingDim(shape.embedding())
                .hiddenSize(shape.hidden()).numClasses(shape.classes()).build();
        DpSgdConfig config = DpSgdConfig.builder().noiseMultiplier(1).optExpectedBatchSize(shape.batch()).optEpochs(1)
                .optMicroBatchSize(microBatchSize).build();
        PrivacyPlan plan = PrivacyPlanner.plan(config, datasetSize, List.of());
        try (LstmClassifier model = LstmClassifier.create(modelConfig, manager, 1)) {
            double[] local;
            double[] distributed;
            long opened = System.nanoTime();
            ModelClippers clippers = ModelClippers.standard();
            try (StepSums inProcess = StepSums.inProcess().open(model, clippers, data, plan, config,
                            PoissonSampler.create()::sample);
                    StepSums cluster = other.open(model, clippers, data, plan, config, PoissonSampler.create()::sample)) {
                double openSeconds = (System.nanoTime() - opened) / 1e9;
                double[][] times = interleaved(inProcess, cluster, model, manager, config.maxGradNorm());
                local = times[0];
                distributed = times[1];
                long parameters = FlatSize.of(model.parameters());
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("batch", shape.batch());
                result.put("dataset_size", datasetSize);
                result.put("length", shape.length());
                result.put("embedding", shape.embedding());
                result.put("hidden", shape.hidden());
                result.put("vocab", shape.vocab());
                result.put("parameters", parameters);
                result.put("other", otherName);
                result.put("in_process_sum_ms", DpStepBenchmark.medianOf(local));
                result.put("other_sum_ms", DpStepBenchmark.medianOf(distributed));
                result.put("overhead_ms", DpStepBenchmark.medianOf(distributed) - DpStepBenchmark.medianOf(local));
                result.put("other_over_in_process", DpStepBenchmark.medianOf(distributed) / DpStepBenchmark.medianOf(local));
                result.put("broadcast_bytes_per_step", 4 * parameters);
                result.put("open_seconds", openSeconds);
                return result;
            }
        }
    }

    /** Medians of each in turn, interleaved (so a machine's changing load falls on both alike). */
    private double[][] interleaved(StepSums first, StepSums second, LstmClassifier model, NDManager manager,
            double clipNorm) {
        int warmUp = 2;
        double[][] ms = new double[2][shape.repetitions()];
        StepSums[] both = {first, second};
        for (int i = -warmUp; i < shape.repetitions(); i++) {
            for (int which = 0; which < 2; which++) {
                try (NDManager scope = manager.newSubManager()) {
                    MicroBatchedSums.lendParameters(model, scope);
                    long start = System.nanoTime();
                    both[which].sum(scope, i + warmUp, clipNorm, false);
                    if (i >= 0) {
                        ms[which][i] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
        }
        return ms;
    }

    private EncodedDataset data() {
        Random random = new Random(1);
        int[][] tokens = new int[datasetSize][];
        int[] labels = new int[datasetSize];
        for (int i = 0; i < datasetSize; i++) {
            tokens[i] = random.ints(shape.length(), 1, shape.vocab()).toArray();
            labels[i] = random.nextInt(shape.classes());
        }
        return EncodedDataset.of(tokens, labels, shape.classes());
    }

    /** Entries of all parameters together. */
    private static final class FlatSize {
        static long of(NDList parameters) {
            long size = 0;
            for (var parameter : parameters) {
                size += parameter.size();
            }
            return size;
        }
    }
}
