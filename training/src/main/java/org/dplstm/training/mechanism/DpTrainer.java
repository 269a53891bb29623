package org.dplstm.training.mechanism;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.RandomAccessDataset;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.training.dpsgd.BudgetGuard;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.DpSgdStep;
import org.dplstm.training.dpsgd.EpochClock;
import org.dplstm.training.dpsgd.EpochSummary;
import org.dplstm.training.dpsgd.LocalStepSums;
import org.dplstm.training.dpsgd.Evaluation;
import org.dplstm.training.dpsgd.LearningRateSchedule;
import org.dplstm.training.dpsgd.OptimizerKind;
import org.dplstm.training.dpsgd.PrivacyCost;
import org.dplstm.training.dpsgd.PrivacyHistory;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.PrivacyPlanner;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.StepProgress;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.dpsgd.TrainingRandomness;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.dpsgd.UnitData;
import org.dplstm.training.mechanism.clip.BlockGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.FusedClipper;
import org.dplstm.training.mechanism.clip.LoopClipper;
import org.dplstm.training.mechanism.clip.TrainableParameters;
import org.dplstm.training.optimizer.CheckpointableOptimizer;

/**
 * DP-SGD for a DJL model the user wrote ({@code SequentialBlock}, {@code Linear}, {@code GRU}, ...),
 * in the manner of DJL's {@code Trainer}: {@link #newTrainer} (which refuses, naming them, blocks
 * the fused clipper cannot walk), {@link #initialize}, then {@link #fit} on DJL datasets. The plan
 * (q = B/N, steps, σ calibrated to a target ε before the first step) comes from the configuration;
 * each step is a {@link DpSgdStep}; the accountant refuses a step that would exceed the target.
 * Without privacy ({@code DpSgdConfig.noPrivacy()}) it trains the same model on shuffled batches,
 * unclipped and noiseless, for comparison. Keeps no checkpoints. Not thread-safe.
 */
public final class DpTrainer implements AutoCloseable {

    /** Records compared between the model's own forward and the fused clipper's walk before training. */
    private static final int CHECKED_RECORDS = 4;

    private final Model model;
    private final DpTrainingConfig config;
    private final Clipper clipper;
    private final TrainableParameters parameters;
    private final TrainingRandomness randomness;

    private DpTrainer(Model model, DpTrainingConfig config, TrainingRandomness randomness) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        Block block = Objects.requireNonNull(model.getBlock(), "model's block (Model.setBlock)");
        this.clipper = config.clipper() == ClipperKind.LOOP
                ? new LoopClipper(block, config.loss())
                : FusedClipper.builder().setModel(block).setLoss(config.loss())
                        .optGateGradientMethod(config.gateGradientMethod()).build();
        this.parameters = TrainableParameters.of(block);
        this.randomness = randomness != null ? randomness : TrainingRandomness.secure(config.privacy().noise());
    }

    /**
     * A trainer for {@code model}'s block.
     *
     * @throws org.dplstm.training.mechanism.clip.UnsupportedModelException naming every block the
     *     fused clipper cannot walk (unless the configuration chose the loop clipper)
     */
    public static DpTrainer newTrainer(Model model, DpTrainingConfig config) {
        return new DpTrainer(model, config, null);
    }

    /** With given sampling and noise. Tests only: seeded randomness gives no guarantee. */
    static DpTrainer newTrainerForTesting(Model model, DpTrainingConfig config, TrainingRandomness randomness) {
        return new DpTrainer(model, config, randomness);
    }

    /** Initialises the block's parameters for inputs of these shapes (DJL's Trainer.initialize). */
    public void initialize(Shape... inputShapes) {
        model.getBlock().initialize(model.getNDManager(), model.getDataType(), inputShapes);
    }

    /** Trains with each record a privacy unit. */
    public TrainingResult fit(RandomAccessDataset train, RandomAccessDataset valid) {
        if (config.privacy().privacyUnit() == PrivacyUnit.USER) {
            throw new IllegalArgumentException("privacy unit user needs a user id per training record:"
                    + " fit(train, valid, userIds)");
        }
        return fit(DatasetUnits.ofRecords(train, config.batchifier()), train, valid);
    }

    /** Trains with each user (all records sharing an id in {@code userIds}, one per record) a privacy unit. */
    public TrainingResult fit(RandomAccessDataset train, RandomAccessDataset valid, long[] userIds) {
        if (config.privacy().privacyUnit() != PrivacyUnit.USER) {
            throw new IllegalArgumentException("user ids need privacy unit user (DpSgdConfig.optPrivacyUnit), was "
                    + config.privacy().privacyUnit());
        }
        return fit(DatasetUnits.ofUsers(train, config.batchifier(), Objects.requireNonNull(userIds, "userIds")),
                train, valid);
    }

    private TrainingResult fit(DatasetUnits data, RandomAccessDataset train, RandomAccessDataset valid) {
        DpSgdConfig dp = config.privacy();
        PrivacyPlan plan = PrivacyPlanner.plan(dp, data.unitCount(), List.of());
        if (clipper instanceof FusedClipper fused) {
            checkWalk(fused, train);
        }
        long started = System.nanoTime();
        PrivacyAccountant accountant = Accountants.newAccountant(plan.accountant());
        List<EpochSummary> epochs = new ArrayList<>();
        long steps = 0;
        boolean refused = false;
        try (NDManager run = model.getNDManager().newSubManager();
                CheckpointableOptimizer optimizer = newOptimizer(plan, run.newSubManager())) {
            config.listeners().forEach(l -> l.onRunStart(plan, dp, 0));
            Stepper stepper = plan.isPrivate()
                    ? privateSteps(plan, data, accountant, optimizer)
                    : new PlainSteps(plan, train, optimizer);
            BudgetGuard guard = BudgetGuard.forPlan(plan, List.of(), plan.plannedSteps());
            EpochClock clock = EpochClock.of(plan);
            while (steps < plan.plannedSteps()) {
                if (plan.isPrivate() && !guard.tryTakeStep()) {
                    refused = true;
                    double spent = epsilon(plan, accountant);
                    long taken = steps;
                    config.listeners().forEach(l -> l.onBudgetRefused(taken, spent, plan.epsilonCap()));
                    break;
                }
                try (NDManager scope = run.newSubManager()) {
                    stepper.take(scope);
                }
                optimizer.stepDone();
                steps++;
                int epoch = clock.epochOf(steps - 1);
                StepProgress progress = new StepProgress(steps, epoch, steps - clock.firstStepOf(epoch),
                        clock.stepsIn(epoch), Double.NaN, Double.NaN);
                config.listeners().forEach(l -> l.onStepEnd(progress));
                if (clock.endsEpoch(steps)) {
                    endEpoch(epochs, epoch, steps, plan, accountant, valid);
                }
            }
            if (refused && (epochs.isEmpty() || epochs.get(epochs.size() - 1).steps() != steps)) {
                endEpoch(epochs, clock.epochOf(steps - 1), steps, plan, accountant, valid);
            }
        }
        TrainingResult result = result(plan, accountant, epochs, steps, refused, (System.nanoTime() - started) / 1e9);
        config.listeners().forEach(l -> l.onRunEnd(result));
        return result;
    }

    private void endEpoch(List<EpochSummary> epochs, int epoch, long steps, PrivacyPlan plan,
            PrivacyAccountant accountant, RandomAccessDataset valid) {
        Evaluation evaluation = valid == null ? Evaluation.NONE : evaluate(valid);
        EpochSummary summary = new EpochSummary(epoch, steps, plan.isPrivate() ? epsilon(plan, accountant) : Double.NaN,
                evaluation.loss(), evaluation.accuracy());
        epochs.add(summary);
        config.listeners().forEach(l -> l.onEpochEnd(summary));
    }

    private static double epsilon(PrivacyPlan plan, PrivacyAccountant accountant) {
        return accountant.history().isEmpty() ? 0.0 : accountant.epsilon(plan.delta());
    }

    private TrainingResult result(PrivacyPlan plan, PrivacyAccountant accountant, List<EpochSummary> epochs,
            long steps, boolean refused, double seconds) {
        double epsilon = plan.isPrivate() ? epsilon(plan, accountant) : Double.POSITIVE_INFINITY;
        Map<String, Double> breakdown = new LinkedHashMap<>();
        if (plan.isPrivate()) {
            breakdown.put(PrivacyCost.DP_SGD, epsilon);
        }
        EpochSummary last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
        return new TrainingResult(plan.isPrivate(), epsilon, breakdown, plan.delta(), plan.accountant(), plan.unit(),
                plan.noiseMultiplier(), plan.sampleRate(), plan.expectedBatchSize(), steps, plan.plannedSteps(), refused,
                last == null ? Double.NaN : last.validLoss(), last == null ? Double.NaN : last.validAccuracy(), seconds,
                epochs, PrivacyHistory.merged(accountant.history()));
    }

    /**
     * Mean loss per prediction and (for a classification loss) accuracy of the model's own forward
     * on {@code data}, dropout off.
     */
    public Evaluation evaluate(RandomAccessDataset data) {
        int size = DatasetUnits.size(data);
        if (size == 0) {
            return Evaluation.NONE;
        }
        Block block = model.getBlock();
        double lossSum = 0;
        long correct = 0;
        long predictions = 0;
        int chunk = config.privacy().microBatchSize();
        for (int start = 0; start < size; start += chunk) {
            int[] examples = new int[Math.min(chunk, size - start)];
            for (int i = 0; i < examples.length; i++) {
                examples[i] = start + i;
            }
            try (NDManager scope = model.getNDManager().newSubManager()) {
                lend(scope);
                ExampleBatch batch = DatasetUnits.batch(data, config.batchifier(), scope, examples, null);
                NDList outputs = block.forward(new ParameterStore(scope, false), batch.inputs(), false);
                lossSum += config.loss().perExample(outputs, batch.labels()).sum().toType(DataType.FLOAT64, false)
                        .getDouble();
                predictions += config.loss().predictions(batch.labels());
                if (config.loss().hasAccuracy()) {
                    correct += config.loss().correct(outputs, batch.labels());
                }
            }
        }
        double accuracy = config.loss().hasAccuracy() ? (double) correct / predictions : Double.NaN;
        return new Evaluation(lossSum / predictions, accuracy);
    }

    /**
     * Before the first step: on a few training records, the fused clipper's walk must give the
     * model's own outputs, and each record's outputs must not depend on the other records of the
     * batch (a block that mixes examples would make per-example clipping meaningless, §2).
     */
    private void checkWalk(FusedClipper fused, RandomAccessDataset train) {
        int size = DatasetUnits.size(train);
        int[] examples = new int[Math.min(CHECKED_RECORDS, size)];
        for (int i = 0; i < examples.length; i++) {
            examples[i] = i;
        }
        if (examples.length == 0) {
            return;
        }
        Block block = model.getBlock();
        try (NDManager scope = model.getNDManager().newSubManager()) {
            lend(scope);
            ExampleBatch batch = DatasetUnits.batch(train, config.batchifier(), scope, examples, null);
            NDList own = block.forward(new ParameterStore(scope, false), batch.inputs(), false);
            NDList walked = fused.forward(scope, batch.inputs());
            double difference = maxRelativeDifference(walked, own);
            if (difference > 1e-4) {
                throw new IllegalArgumentException("model's forward must be what the fused clipper walks, but their"
                        + " outputs differ by " + difference + " (relative); train it with the loop clipper");
            }
            for (int i = 0; i < examples.length; i++) {
                ExampleBatch alone = DatasetUnits.batch(train, config.batchifier(), scope, new int[] {i}, null);
                NDList single = block.forward(new ParameterStore(scope, false), alone.inputs(), false);
                NDList row = new NDList();
                for (NDArray output : own) {
                    row.add(output.get(i).expandDims(0));
                }
                if (maxRelativeDifference(single, row) > 1e-4) {
                    throw new IllegalArgumentException("model must treat each example on its own, but record " + i
                            + "'s output changes with the other records of its batch (per-example clipping needs"
                            + " per-example outputs; BatchNorm-like blocks are not allowed)");
                }
            }
        }
    }

    /** max over outputs of max|a − b| / max(max|b|, 1e-12). */
    private static double maxRelativeDifference(NDList actual, NDList expected) {
        if (actual.size() != expected.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            NDArray a = actual.get(i).toType(DataType.FLOAT64, false);
            NDArray b = expected.get(i).toType(DataType.FLOAT64, false);
            if (!a.getShape().equals(b.getShape())) {
                return Double.POSITIVE_INFINITY;
            }
            double scale = Math.max(b.abs().max().getDouble(), 1e-12);
            worst = Math.max(worst, a.sub(b).abs().max().getDouble() / scale);
        }
        return worst;
    }

    /** Ops on a parameter put their result in its manager: lent to {@code scope}, they die with it. */
    private void lend(NDManager scope) {
        for (NDArray parameter : parameters.arrays()) {
            parameter.tempAttach(scope);
        }
    }

    private CheckpointableOptimizer newOptimizer(PrivacyPlan plan, NDManager stateManager) {
        var tracker = LearningRateSchedule.tracker(config.privacy(), plan.plannedSteps());
        return config.privacy().optimizer() == OptimizerKind.ADAM
                ? CheckpointableOptimizer.adam(tracker, 0, stateManager)
                : CheckpointableOptimizer.sgd(tracker, config.privacy().momentum(), 0, stateManager);
    }

    /** One logical step. */
    private interface Stepper {
        void take(NDManager scope);
    }

    private Stepper privateSteps(PrivacyPlan plan, UnitData data, PrivacyAccountant accountant,
            CheckpointableOptimizer optimizer) {
        LocalStepSums sums = LocalStepSums.builder()
                .setClipper(clipper)
                .setData(data)
                .setSampler(randomness.sampler())
                .setSampleRate(plan.sampleRate())
                .optMicroBatchSize(config.privacy().microBatchSize())
                .build();
        DpSgdStep step = DpSgdStep.builder()
                .setSums(sums)
                .setPopulationSize(data.unitCount())
                .setSampleRate(plan.sampleRate())
                .setNoiseMultiplier(plan.noiseMultiplier())
                .setMaxGradNorm(config.privacy().maxGradNorm())
                .optNoise(randomness.noise())
                .optAccountant(accountant)
                .build();
        long[] taken = {0};
        return scope -> {
            lend(scope);
            step.take(scope, taken[0]++, false, parameters, optimizer::update);
        };
    }

    /** Shuffled batches of B records, plain summed gradients over B: no privacy, for comparison. */
    private final class PlainSteps implements Stepper {
        private final RandomAccessDataset train;
        private final CheckpointableOptimizer optimizer;
        private final int batchSize;
        private final Random order;
        private final List<Integer> permutation = new ArrayList<>();
        private int position;

        PlainSteps(PrivacyPlan plan, RandomAccessDataset train, CheckpointableOptimizer optimizer) {
            this.train = train;
            this.optimizer = optimizer;
            this.batchSize = (int) Math.max(1, Math.round(plan.expectedBatchSize()));
            this.order = new Random(config.privacy().seed().orElse(new SecureRandom().nextLong()));
            for (int i = 0; i < plan.populationSize(); i++) {
                permutation.add(i);
            }
            position = permutation.size();
        }

        @Override
        public void take(NDManager scope) {
            lend(scope);
            int[] examples = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                if (position == permutation.size()) {
                    Collections.shuffle(permutation, order);
                    position = 0;
                }
                examples[i] = permutation.get(position++);
            }
            NDList arrays = parameters.arrays();
            NDList sums = parameters.zeros(scope);
            int chunk = config.privacy().microBatchSize();
            for (int start = 0; start < batchSize; start += chunk) {
                int[] part = Arrays.copyOfRange(examples, start, Math.min(batchSize, start + chunk));
                try (NDManager micro = scope.newSubManager()) {
                    ExampleBatch batch = DatasetUnits.batch(train, config.batchifier(), micro, part, null);
                    NDList gradients = BlockGradients.of(micro, model.getBlock(), parameters, config.loss(),
                            batch.inputs(), batch.labels());
                    for (int i = 0; i < sums.size(); i++) {
                        sums.get(i).addi(gradients.get(i));
                    }
                }
            }
            for (int i = 0; i < sums.size(); i++) {
                optimizer.update(parameters.names().get(i), arrays.get(i), sums.get(i).div(batchSize));
            }
        }
    }

    /** The model stays open (it is the caller's). */
    @Override
    public void close() {
        // nothing of its own: the optimizer's state lives and dies within fit
    }
}
