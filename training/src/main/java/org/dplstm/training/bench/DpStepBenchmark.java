package org.dplstm.training.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.dplstm.privacy.noise.GaussianNoise;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.training.dpsgd.GradientNoise;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.PairBatch;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.pergrad.ClippedGradients;
import org.dplstm.training.pergrad.EncoderDecoderGradients;
import org.dplstm.training.pergrad.FusedPerExampleGradients;
import org.dplstm.training.pergrad.GateGradientMethod;
import org.dplstm.training.pergrad.PerExampleLoopGradients;

/**
 * Times, in one process after warm-up, a non-private step (the engine's fused LSTM, plain
 * backward, SGD update), the fused DP step (clipped sum, secure Gaussian noise on every
 * parameter, division by the expected batch size, SGD update) and the same DP step with the
 * clipped sum from the per-example loop; and measures the fused clipped sum's largest relative
 * error against the loop (per parameter max|fused − loop| / max|loop|, the worst parameter).
 */
public final class DpStepBenchmark {

    private static final double CLIP = 1.0;
    private static final double NOISE_MULTIPLIER = 1.0;
    private static final float LEARNING_RATE = 0.05f;
    private static final int WARM_UP = 3;

    private final BenchShape shape;
    private final GaussianNoise noise = SecureGaussianNoise.create();

    public DpStepBenchmark(BenchShape shape) {
        this.shape = shape;
    }

    /** A fused clipped sum of one method, as the bench calls it. */
    private interface ClippedSum {
        ClippedGradients of(NDManager scope, Batch batch, double maxGradNorm);
    }

    /** The model of the shape's task, with its fused method and the other method (null when it has one only). */
    private record Subject(TextModel model, ClippedSum fused, String method, ClippedSum other, String otherMethod) {}

    private Subject subject(NDManager manager) {
        ModelTask task = shape.task();
        ModelConfig.Builder config = ModelConfig.builder()
                .task(task)
                .vocabSize(shape.vocab())
                .embeddingDim(shape.embedding())
                .hiddenSize(shape.hidden())
                .optDataType(shape.dataType());
        if (task == ModelTask.SEQ2SEQ) {
            // the same vocabulary size on both sides
            LstmEncoderDecoder model = LstmEncoderDecoder.create(config.optTargetVocabSize(shape.vocab()).build(), manager, 1);
            EncoderDecoderGradients fused = new EncoderDecoderGradients(model);
            return new Subject(model, fused::clippedGradientSum, GateGradientMethod.UNROLLED.name(), null, null);
        }
        LstmStackModel model = task == ModelTask.LANGUAGE_MODEL
                ? LstmLanguageModel.create(config.build(), manager, 1)
                : LstmClassifier.create(config.numClasses(shape.classes()).build(), manager, 1);
        FusedPerExampleGradients fused = FusedPerExampleGradients.of(model);
        GateGradientMethod otherMethod = fused.method() == GateGradientMethod.UNROLLED
                ? GateGradientMethod.ENGINE_IDENTITY
                : GateGradientMethod.UNROLLED;
        FusedPerExampleGradients other = FusedPerExampleGradients.of(model, otherMethod);
        return new Subject(model, fused::clippedGradientSum, fused.method().name(), other::clippedGradientSum,
                otherMethod.name());
    }

    /** Runs everything; {@code progress} hears each finished step (for a progress bar). */
    public BenchResult run(NDManager parent, IntConsumer progress) {
        try (NDManager manager = parent.newSubManager()) {
            Subject subject = subject(manager);
            TextModel model = subject.model();
            ClippedSum fused = subject.fused();
            Batch batch = randomBatch(manager, 2);
            double[] error = relativeError(manager, model, fused, batch);
            Optimizer optimizer = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build();
            PerExampleLoopGradients loop = new PerExampleLoopGradients(model);

            // the variants take turns within each repetition, so a machine shared with other jobs
            // slows them alike and the ratios stay meaningful
            double[] noiseTimes = new double[shape.repetitions() + WARM_UP];
            int[] noiseCount = {0};
            double[] aheadTimes = new double[shape.repetitions() + WARM_UP];
            int[] aheadCount = {0};
            // the DP step adds noise exactly as DpSgdTrainer does: the whole step's noise drawn
            // ahead on a background thread during the previous step, moved to the engine at once
            GradientNoise drawnAhead = GradientNoise.bulk(noise);
            List<Step> bodies = new ArrayList<>(List.of(
                    step -> update(optimizer, model, model.gradientSum(step, batch)),
                    step -> fused.of(step, batch, CLIP).sums().get(0).getDataType(),
                    step -> {
                        ClippedGradients sums = fused.of(step, batch, CLIP);
                        long start = System.nanoTime();
                        NDList noisy = addNoise(step, sums.sums());
                        noiseTimes[noiseCount[0]++ % noiseTimes.length] = (System.nanoTime() - start) / 1e6;
                        update(optimizer, model, noisy);
                    },
                    step -> {
                        NDList sums = fused.of(step, batch, CLIP).sums();
                        long start = System.nanoTime();
                        NDList noisy = drawnAhead.addToAll(step, sums, NOISE_MULTIPLIER * CLIP);
                        aheadTimes[aheadCount[0]++ % aheadTimes.length] = (System.nanoTime() - start) / 1e6;
                        update(optimizer, model, noisy);
                    }));
            if (subject.other() != null) {
                bodies.add(step -> subject.other().of(step, batch, CLIP).sums().get(0).getDataType());
            }
            double[][] medians = interleavedMedians(manager, model, shape.repetitions(), progress,
                    bodies.toArray(Step[]::new));
            double nonprivate = medians[0][0];
            double clippedOnly = medians[1][0];
            double dpSerial = medians[2][0];
            double dp = medians[3][0];
            double otherClipped = subject.other() != null ? medians[4][0] : Double.NaN;
            // the same noise path as the fused DP step, so the ratio compares the clipped sums alone
            double loopStep = interleavedMedians(manager, model, shape.loopRepetitions(), progress, step -> {
                NDList sums = loop.clippedGradientSum(step, batch, CLIP).sums();
                update(optimizer, model, drawnAhead.addToAll(step, sums, NOISE_MULTIPLIER * CLIP));
            })[0][0];
            return new BenchResult(shape, nonprivate, dp, dpSerial, loopStep, clippedOnly,
                    subject.method().toLowerCase(java.util.Locale.ROOT), otherClipped,
                    subject.otherMethod() == null ? "none" : subject.otherMethod().toLowerCase(java.util.Locale.ROOT),
                    medianOf(noiseTimes), medianOf(aheadTimes),
                    error[0], model.parameterNames().get((int) error[1]),
                    "SecureGaussianNoise (AES-CTR keyed from SecureRandom); dp_step_ms adds it as DpSgdTrainer does, drawn ahead on a background thread",
                    ai.djl.pytorch.jni.JniUtils.getNumThreads());
        }
    }

    /** Number of progress events {@link #run} reports. */
    public int progressSteps() {
        // an encoder-decoder has one fused method only: no other method's body
        int bodies = shape.task() == ModelTask.SEQ2SEQ ? 4 : 5;
        return bodies * (shape.repetitions() + WARM_UP) + shape.loopRepetitions() + WARM_UP;
    }

    /**
     * Random full-length examples; for an encoder-decoder pairs of a source and a target of the
     * shape's length each, packed.
     */
    private Batch randomBatch(NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        if (shape.task() == ModelTask.SEQ2SEQ) {
            List<int[]> sources = new ArrayList<>();
            List<int[]> targets = new ArrayList<>();
            for (int b = 0; b < shape.batch(); b++) {
                sources.add(random.ints(shape.length(), 1, shape.vocab()).toArray());
                targets.add(random.ints(shape.length(), 1, shape.vocab()).toArray());
            }
            return PairBatch.pack(manager, sources, targets);
        }
        long[] tokens = new long[shape.batch() * shape.length()];
        long[] lengths = new long[shape.batch()];
        long[] labels = new long[shape.batch()];
        for (int b = 0; b < shape.batch(); b++) {
            lengths[b] = shape.length();
            labels[b] = random.nextInt(shape.classes());
        }
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1 + random.nextInt(shape.vocab() - 1);
        }
        return new Batch(
                manager.create(tokens, new Shape(shape.batch(), shape.length())),
                manager.create(lengths),
                manager.create(labels),
                null);
    }

    /** {max over parameters of max|fused − loop| / max|loop|, index of that parameter}. */
    private static double[] relativeError(NDManager manager, TextModel model, ClippedSum method, Batch batch) {
        try (NDManager scope = manager.newSubManager()) {
            NDList fused = method.of(scope, batch, CLIP).sums();
            NDList loop = new PerExampleLoopGradients(model).clippedGradientSum(scope, batch, CLIP).sums();
            double worst = -1;
            int worstIndex = 0;
            for (int i = 0; i < loop.size(); i++) {
                NDArray expected = loop.get(i).toType(DataType.FLOAT64, false);
                NDArray actual = fused.get(i).toType(DataType.FLOAT64, false);
                double scale = expected.abs().max().getDouble();
                double error = actual.sub(expected).abs().max().getDouble() / scale;
                if (error > worst) {
                    worst = error;
                    worstIndex = i;
                }
            }
            return new double[] {worst, worstIndex};
        }
    }

    /** Noise N(0, σ²C²) on every coordinate of the sum (ARCHITECTURE §2), drawn on the host in bulk. */
    private NDList addNoise(NDManager step, NDList sums) {
        NDList noisy = new NDList();
        for (NDArray sum : sums) {
            NDArray result;
            if (sum.getDataType() == DataType.FLOAT64) {
                double[] values = sum.toDoubleArray();
                noise.addTo(values, NOISE_MULTIPLIER * CLIP);
                result = step.create(values, sum.getShape());
            } else {
                float[] values = sum.toFloatArray();
                noise.addTo(values, NOISE_MULTIPLIER * CLIP);
                result = step.create(values, sum.getShape());
            }
            noisy.add(result);
        }
        return noisy;
    }

    /** Divide by the expected batch size (here the batch), then the optimizer's update. */
    private void update(Optimizer optimizer, TextModel model, NDList grads) {
        NDList params = model.parameters();
        for (int i = 0; i < params.size(); i++) {
            optimizer.update(model.parameterNames().get(i), params.get(i), grads.get(i).divi(shape.batch()));
        }
    }

    private interface Step {
        void run(NDManager step);
    }

    /**
     * Median time (ms) of each body, the bodies run in turn after {@link #WARM_UP} rounds. Each
     * body runs in a scope of its own that the parameters are lent to, as in DpSgdTrainer: DJL
     * puts an op's result in its first operand's manager, so without the loan every op on a
     * parameter would pile up in the model's manager for the whole benchmark.
     */
    private static double[][] interleavedMedians(
            NDManager manager, TextModel model, int repetitions, IntConsumer progress, Step... bodies) {
        double[][] times = new double[bodies.length][repetitions];
        for (int i = -WARM_UP; i < repetitions; i++) {
            for (int b = 0; b < bodies.length; b++) {
                long start = System.nanoTime();
                try (NDManager step = manager.newSubManager()) {
                    for (NDArray parameter : model.parameters()) {
                        parameter.tempAttach(step);
                    }
                    bodies[b].run(step);
                }
                double elapsed = (System.nanoTime() - start) / 1e6;
                if (i >= 0) {
                    times[b][i] = elapsed;
                }
                progress.accept(1);
            }
        }
        double[][] medians = new double[bodies.length][1];
        for (int b = 0; b < bodies.length; b++) {
            medians[b][0] = medianOf(times[b]);
        }
        return medians;
    }

    private static double medianOf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
