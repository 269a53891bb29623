package org.dplstm.training.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.dplstm.privacy.noise.GaussianNoise;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.training.dpsgd.GradientNoise;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.recurrent.CellKind;

/**
 * Times, in one process after warm-up, a non-private step (the engine's fused LSTM or GRU, plain
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

    /** Runs everything; {@code progress} hears each finished step (for a progress bar). */
    public BenchResult run(NDManager parent, IntConsumer progress) {
        try (NDManager manager = parent.newSubManager();
                BenchSubject subject = subject(manager)) {
            double[] error = relativeError(manager, subject);
            Optimizer optimizer = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build();

            // the variants take turns within each repetition, so a machine shared with other jobs
            // slows them alike and the ratios stay meaningful
            double[] noiseTimes = new double[shape.repetitions() + WARM_UP];
            int[] noiseCount = {0};
            double[] aheadTimes = new double[shape.repetitions() + WARM_UP];
            int[] aheadCount = {0};
            // the DP step adds noise exactly as DpSgdTrainer does: the whole step's noise drawn
            // ahead on a background thread during the previous step, moved to the engine at once
            GradientNoise drawnAhead = GradientNoise.bulk(noise);
            double[][] medians = interleavedMedians(manager, subject, shape.repetitions(), progress,
                    step -> update(optimizer, subject, subject.plainGradient().apply(step)),
                    step -> subject.fused().of(step, CLIP).get(0).getDataType(),
                    step -> {
                        NDList sums = subject.fused().of(step, CLIP);
                        long start = System.nanoTime();
                        NDList noisy = addNoise(step, sums);
                        noiseTimes[noiseCount[0]++ % noiseTimes.length] = (System.nanoTime() - start) / 1e6;
                        update(optimizer, subject, noisy);
                    },
                    step -> {
                        NDList sums = subject.fused().of(step, CLIP);
                        long start = System.nanoTime();
                        NDList noisy = drawnAhead.addToAll(step, sums, NOISE_MULTIPLIER * CLIP);
                        aheadTimes[aheadCount[0]++ % aheadTimes.length] = (System.nanoTime() - start) / 1e6;
                        update(optimizer, subject, noisy);
                    },
                    step -> subject.other().of(step, CLIP).get(0).getDataType());
            double nonprivate = medians[0][0];
            double clippedOnly = medians[1][0];
            double dpSerial = medians[2][0];
            double dp = medians[3][0];
            double otherClipped = medians[4][0];
            // the same noise path as the fused DP step, so the ratio compares the clipped sums alone
            double loopStep = interleavedMedians(manager, subject, shape.loopRepetitions(), progress, step -> {
                NDList sums = subject.loop().of(step, CLIP);
                update(optimizer, subject, drawnAhead.addToAll(step, sums, NOISE_MULTIPLIER * CLIP));
            })[0][0];
            return new BenchResult(shape, nonprivate, dp, dpSerial, loopStep, clippedOnly, subject.methodName(),
                    otherClipped, subject.otherMethodName(), medianOf(noiseTimes), medianOf(aheadTimes),
                    error[0], subject.parameterNames().get((int) error[1]),
                    "SecureGaussianNoise (AES-CTR keyed from SecureRandom); dp_step_ms adds it as DpSgdTrainer does, drawn ahead on a background thread",
                    ai.djl.pytorch.jni.JniUtils.getNumThreads());
        }
    }

    /** The project's LSTM model, or a DJL GRU block model through the mechanism's clippers. */
    private BenchSubject subject(NDManager manager) {
        if (shape.cell() == CellKind.GRU) {
            return BenchSubject.gru(shape, manager, exampleBatch(manager, 2));
        }
        boolean languageModel = shape.task() == ModelTask.LANGUAGE_MODEL;
        ModelConfig config = ModelConfig.builder()
                .task(shape.task())
                .vocabSize(shape.vocab())
                .embeddingDim(shape.embedding())
                .hiddenSize(shape.hidden())
                .numClasses(languageModel ? 0 : shape.classes())
                .optDataType(shape.dataType())
                .build();
        LstmStackModel model = languageModel
                ? LstmLanguageModel.create(config, manager, 1)
                : LstmClassifier.create(config, manager, 1);
        return BenchSubject.lstm(model, randomBatch(manager, 2));
    }

    /** Number of progress events {@link #run} reports. */
    public int progressSteps() {
        return 5 * (shape.repetitions() + WARM_UP) + shape.loopRepetitions() + WARM_UP;
    }

    private Batch randomBatch(NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
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

    /**
     * The same random texts for a block model: token ids (B, T), and class ids (B) or, for a
     * language model, each position's next token (the last position's a random one).
     */
    private ExampleBatch exampleBatch(NDManager manager, long seed) {
        Batch batch = randomBatch(manager, seed);
        NDArray labels = batch.labels();
        if (shape.task() == ModelTask.LANGUAGE_MODEL) {
            NDArray next = batch.tokens().get(new NDIndex(":, 1:"));
            labels = next.concat(batch.tokens().get(new NDIndex(":, :1")), 1);
        }
        return new ExampleBatch(new NDList(batch.tokens()), new NDList(labels));
    }

    /** {max over parameters of max|fused − loop| / max|loop|, index of that parameter}. */
    private static double[] relativeError(NDManager manager, BenchSubject subject) {
        try (NDManager scope = manager.newSubManager()) {
            NDList fused = subject.fused().of(scope, CLIP);
            NDList loop = subject.loop().of(scope, CLIP);
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
    private void update(Optimizer optimizer, BenchSubject subject, NDList grads) {
        NDList params = subject.parameters().get();
        List<String> names = subject.parameterNames();
        for (int i = 0; i < params.size(); i++) {
            optimizer.update(names.get(i), params.get(i), grads.get(i).divi(shape.batch()));
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
            NDManager manager, BenchSubject subject, int repetitions, IntConsumer progress, Step... bodies) {
        double[][] times = new double[bodies.length][repetitions];
        for (int i = -WARM_UP; i < repetitions; i++) {
            for (int b = 0; b < bodies.length; b++) {
                long start = System.nanoTime();
                try (NDManager step = manager.newSubManager()) {
                    for (NDArray parameter : subject.parameters().get()) {
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

    static double medianOf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
