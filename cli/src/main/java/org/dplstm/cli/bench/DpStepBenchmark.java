package org.dplstm.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import org.dplstm.privacy.sampling.PoissonSampler;
import org.dplstm.training.dpsgd.DpSgdStep;
import org.dplstm.training.dpsgd.GradientNoise;
import org.dplstm.training.dpsgd.LocalStepSums;
import org.dplstm.training.dpsgd.UnitData;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.PairBatch;
import org.dplstm.training.pergrad.FusedPerExampleGradients;

/**
 * Times, in one process after warm-up, a non-private step (the engine's fused LSTM or GRU, plain
 * backward, SGD update), the DP step as every trainer takes it ({@link DpSgdStep}: Poisson sample,
 * fused clipped sum, secure Gaussian noise on every parameter, division by the expected batch size,
 * SGD update) and the same DP step with the per-example loop as its clipper (for a language model
 * also the clipped sum of public preconditioning's fused scaled pass); and measures the fused
 * clipped sum's largest relative error against the loop (per parameter max|fused − loop| /
 * max|loop|, the worst parameter). The step samples with q = 1 from a population of B: every
 * step's batch is the benchmark's B texts, as the non-private step's is.
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
            TimedNoise serialNoise = new TimedNoise((scope, sum, stddev) -> addNoise(scope, sum, stddev),
                    shape.repetitions() + WARM_UP);
            // as DpSgdTrainer adds it: the whole step's noise drawn ahead on a background thread
            // during the previous step, moved to the engine at once
            TimedNoise drawnAhead = new TimedNoise(GradientNoise.bulk(noise), shape.repetitions() + WARM_UP);
            DpSgdStep dpStep = step(subject, subject.fused(), drawnAhead);
            DpSgdStep dpSerial = step(subject, subject.fused(), serialNoise);
            long[] taken = {0};
            List<Step> bodies = new ArrayList<>(List.of(
                    step -> update(optimizer, subject, subject.plainGradient().apply(step)),
                    step -> subject.fused().clippedSum(step, subject.batch(), CLIP).sums().get(0).getDataType(),
                    step -> dpSerial.take(step, taken[0]++, false, subject.parameters(), optimizer::update),
                    step -> dpStep.take(step, taken[0]++, false, subject.parameters(), optimizer::update)));
            if (subject.other() != null) {
                bodies.add(step -> subject.other().clippedSum(step, subject.batch(), CLIP).sums().get(0).getDataType());
            }
            FusedPerExampleGradients scalable = scalable(subject);
            NDList scale = scalable == null ? null : publicLikeScale(manager, subject);
            if (scalable != null) {
                bodies.add(step -> scalable.scaledClippedSum(step, subject.batch(), CLIP, FrozenPart.NONE, scale)
                        .sums().get(0).getDataType());
            } else if (countsPreconditioned(shape)) {
                progress.accept(shape.repetitions() + WARM_UP); // counted, not run: too large for the scaled pass
            }
            double[][] medians = interleavedMedians(manager, subject, shape.repetitions(), progress,
                    bodies.toArray(Step[]::new));
            double nonprivate = medians[0][0];
            double clippedOnly = medians[1][0];
            double serial = medians[2][0];
            double dp = medians[3][0];
            double otherClipped = subject.other() != null ? medians[4][0] : Double.NaN;
            double preconditioned = scalable != null ? medians[medians.length - 1][0] : Double.NaN;
            // the same noise path as the fused DP step, so the ratio compares the clipped sums alone
            DpSgdStep loopStep = step(subject, subject.loop(), drawnAhead);
            double loop = interleavedMedians(manager, subject, shape.loopRepetitions(), progress,
                    step -> loopStep.take(step, taken[0]++, false, subject.parameters(), optimizer::update))[0][0];
            return new BenchResult(shape, nonprivate, dp, serial, loop, clippedOnly, subject.methodName(),
                    otherClipped, subject.otherMethodName(), preconditioned, serialNoise.median(), drawnAhead.median(),
                    error[0], subject.parameters().names().get((int) error[1]),
                    "SecureGaussianNoise (AES-CTR keyed from SecureRandom); dp_step_ms adds it as DpSgdTrainer does, drawn ahead on a background thread",
                    ai.djl.pytorch.jni.JniUtils.getNumThreads());
        }
    }

    /** Whether the progress counts a preconditioned body: the project's own language models. */
    private static boolean countsPreconditioned(BenchShape shape) {
        return shape.task() == ModelTask.LANGUAGE_MODEL && !shape.block();
    }

    /** The fused clipper when it has public preconditioning's scaled pass (a language model), else null. */
    private static FusedPerExampleGradients scalable(BenchSubject subject) {
        return subject.fused() instanceof FusedPerExampleGradients fused && fused.supportsScale() ? fused : null;
    }

    /** A scale of 0.5 and 1.5 in turn on every parameter: its values do not change the time. */
    private static NDList publicLikeScale(NDManager manager, BenchSubject subject) {
        NDList scale = new NDList();
        for (NDArray parameter : subject.parameters().arrays()) {
            scale.add(manager.arange(0, (int) parameter.size()).toType(parameter.getDataType(), false).mod(2).add(0.5)
                    .reshape(parameter.getShape()));
        }
        return scale;
    }

    /**
     * A DP step over the benchmark's batch: a population of B units, each sampled (securely) with
     * q = 1, in one micro-batch, so the step divides by qN = B like the non-private step.
     */
    private DpSgdStep step(BenchSubject subject, Clipper clipper, GradientNoise stepNoise) {
        UnitData rows = new BatchRows(subject.batch());
        LocalStepSums sums = LocalStepSums.builder().setClipper(clipper).setData(rows)
                .setSampler(PoissonSampler.create()::sample).setSampleRate(1)
                .optMicroBatchSize(shape.batch()).build();
        return DpSgdStep.builder().setSums(sums).setPopulationSize(rows.unitCount()).setSampleRate(1)
                .setNoiseMultiplier(NOISE_MULTIPLIER).setMaxGradNorm(CLIP).optNoise(stepNoise).build();
    }

    /** The project's model, or a DJL block model through the mechanism's block walk. */
    private BenchSubject subject(NDManager manager) {
        if (shape.block()) {
            return BenchSubject.block(shape, manager, exampleBatch(manager, 2));
        }
        if (shape.task() == ModelTask.SEQ2SEQ) {
            // the same vocabulary size on both sides, the source embedding at a word-level source's scale
            ModelConfig config = ModelConfig.builder().task(ModelTask.SEQ2SEQ).vocabSize(shape.vocab())
                    .optTargetVocabSize(shape.vocab()).embeddingDim(shape.embedding()).hiddenSize(shape.hidden())
                    .optDataType(shape.dataType()).build();
            LstmEncoderDecoder model = LstmEncoderDecoder.create(config, manager, 1,
                    LstmEncoderDecoder.WORD_SOURCE_EMBEDDING_INIT);
            return BenchSubject.encoderDecoder(model, randomBatch(manager, 2));
        }
        boolean languageModel = shape.task() == ModelTask.LANGUAGE_MODEL;
        ModelConfig config = ModelConfig.builder()
                .task(shape.task())
                .optCell(shape.cell())
                .vocabSize(shape.vocab())
                .embeddingDim(shape.embedding())
                .hiddenSize(shape.hidden())
                .numClasses(languageModel ? 0 : shape.classes())
                .optDataType(shape.dataType())
                .build();
        LstmStackModel model = languageModel
                ? LstmLanguageModel.create(config, manager, 1)
                : LstmClassifier.create(config, manager, 1);
        return BenchSubject.textModel(model, randomBatch(manager, 2));
    }

    /** Number of progress events {@link #run} reports. */
    public int progressSteps() {
        // an encoder-decoder has one fused method only: no other method's body; a language model
        // of the project's own also times public preconditioning's scaled pass
        int bodies = shape.task() == ModelTask.SEQ2SEQ ? 4 : 5;
        if (countsPreconditioned(shape)) {
            bodies++;
        }
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
            NDList fused = subject.fused().clippedSum(scope, subject.batch(), CLIP).sums();
            NDList loop = subject.loop().clippedSum(scope, subject.batch(), CLIP).sums();
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

    /** {@code sum} plus N(0, stddev²) on every coordinate, drawn on the host on the step's own thread. */
    private NDArray addNoise(NDManager step, NDArray sum, double stddev) {
        if (sum.getDataType() == DataType.FLOAT64) {
            double[] values = sum.toDoubleArray();
            noise.addTo(values, stddev);
            return step.create(values, sum.getShape());
        }
        float[] values = sum.toFloatArray();
        noise.addTo(values, stddev);
        return step.create(values, sum.getShape());
    }

    /** A step's noise, the time its {@code addToAll} took recorded (ms, the last {@code capacity} steps). */
    private static final class TimedNoise implements GradientNoise {
        private final GradientNoise source;
        private final double[] times;
        private int count;

        TimedNoise(GradientNoise source, int capacity) {
            this.source = source;
            this.times = new double[capacity];
        }

        @Override
        public NDArray addTo(NDManager scope, NDArray sum, double stddev) {
            return source.addTo(scope, sum, stddev);
        }

        @Override
        public NDList addToAll(NDManager scope, NDList sums, double stddev) {
            long start = System.nanoTime();
            NDList noisy = source.addToAll(scope, sums, stddev);
            times[count++ % times.length] = (System.nanoTime() - start) / 1e6;
            return noisy;
        }

        double median() {
            return medianOf(count >= times.length ? times : Arrays.copyOf(times, count));
        }
    }

    /** The benchmark's batch as B privacy units; all of them, in order, are the batch itself. */
    private record BatchRows(ExampleBatch batch) implements UnitData {
        @Override
        public int unitCount() {
            return batch.size();
        }

        @Override
        public int[] examplesOf(int unit) {
            return new int[] {unit};
        }

        @Override
        public boolean grouped() {
            return false;
        }

        @Override
        public ExampleBatch batch(NDManager scope, int[] examples, long[] groups) {
            boolean all = examples.length == batch.size();
            for (int i = 0; all && i < examples.length; i++) {
                all = examples[i] == i;
            }
            if (all && groups == null) {
                return batch;
            }
            return batch.rows(scope, Arrays.stream(examples).asLongStream().toArray(), groups);
        }
    }

    /** The non-private step's update: the summed gradient over the batch size, then the optimizer. */
    private void update(Optimizer optimizer, BenchSubject subject, NDList grads) {
        NDList params = subject.parameters().arrays();
        List<String> names = subject.parameters().names();
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
                    for (NDArray parameter : subject.parameters().arrays()) {
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
