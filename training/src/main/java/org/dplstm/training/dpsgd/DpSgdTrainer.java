package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.training.checkpoint.CheckpointFile;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.optimizer.CheckpointableOptimizer;
import org.dplstm.training.pergrad.ModelClippers;

/**
 * The DP-SGD loop (Abadi et al. 2016; ARCHITECTURE §2) for the project's text models. Each logical
 * step is a {@link DpSgdStep}: Poisson-sampled units, their gradients clipped by the model's
 * clipping strategy ({@link ModelClippers}) in micro-batches whose sums add up, N(0, σ²C²) once on
 * the step's sum, division by the EXPECTED batch size, a DJL optimizer's update, and one
 * Poisson-subsampled Gaussian (q, σ) composed into the accountant; a step that would exceed the ε
 * cap is refused. Without privacy it trains the identical model on
 * fixed-size shuffled batches, unclipped and noiseless, for comparison.
 *
 * <p>Build with {@link #builder()}, then {@link #fit} a new run or {@link #resume} a checkpointed
 * one. Not thread-safe; one trainer trains one model.
 */
public final class DpSgdTrainer {

    /** Measure the local-only training loss on part of a step's batch this often (steps). */
    static final int TRAIN_LOSS_EVERY = 10;

    private final DpSgdConfig config;
    private final DifferentiableModel model;
    private final TrainingRandomness randomness;
    private final List<TrainingListener> listeners;
    private final Path checkpointFile;
    private final ValidationMetrics validationMetrics;
    private final StepSums.Factory stepSums;
    private final ModelClippers clippers;
    private final EncodedDataset publicText;
    /** The weights' moving average of the current run, when the config asks for one. */
    private WeightAverage average;
    /** The adaptive clip norm of the current private run, when the config asks for one. */
    private AdaptiveClipping clipping;

    private DpSgdTrainer(Builder b) {
        this.config = b.config;
        this.model = b.model;
        this.randomness = b.randomness != null ? b.randomness : TrainingRandomness.secure(b.config.noise());
        this.listeners = List.copyOf(b.listeners);
        this.checkpointFile = b.checkpointFile;
        this.validationMetrics = b.validationMetrics;
        this.stepSums = b.stepSums != null ? b.stepSums : StepSums.inProcess();
        this.clippers = b.clippers != null ? b.clippers : ModelClippers.standard();
        this.publicText = b.publicText;
        if (config.precondition().isPresent() && publicText == null) {
            throw new IllegalArgumentException("precondition " + config.precondition().get() + " needs its public text,"
                    + " encoded as the training data is (optPublicText)");
        }
        if (config.precondition().isPresent() && b.stepSums != null) {
            throw new IllegalArgumentException("precondition " + config.precondition().get() + " needs the step sums of"
                    + " this process (optStepSums: not several devices or a cluster; the scale sits inside each norm)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public DpSgdConfig config() {
        return config;
    }

    /**
     * Trains a new run.
     *
     * @param valid validation data (may be null: validation figures are then NaN)
     * @param priorCosts privacy already spent on {@code train} (e.g. DP vocabulary selection)
     */
    public TrainingResult fit(EncodedDataset train, EncodedDataset valid, List<PrivacyCost> priorCosts) {
        return fit(train, valid, PrivacyPlanner.plan(config, train.unitCount(config.privacyUnit()), priorCosts));
    }

    /** Trains a new run under a plan already made by {@link PrivacyPlanner} for this config and data. */
    public TrainingResult fit(EncodedDataset train, EncodedDataset valid, PrivacyPlan plan) {
        checkData(train, valid);
        if (plan.populationSize() != train.unitCount(plan.unit()) || plan.isPrivate() != config.isPrivate()) {
            throw new IllegalArgumentException("the privacy plan must be made for this config and training data");
        }
        RunState state = new RunState(plan, plan.priorEvents(), 0, List.of(), 0);
        return run(state, train, valid, Map.of());
    }

    /**
     * Continues a checkpointed run on the same data: restores the model's parameters, the
     * optimizer's state, the step counter and the accountant's full history (the budget already
     * spent is never reset), and draws fresh sampling and noise randomness.
     */
    public TrainingResult resume(TrainingCheckpoint checkpoint, EncodedDataset train, EncodedDataset valid) {
        checkData(train, valid);
        PrivacyPlan plan = checkpoint.plan();
        int population = train.unitCount(plan.unit());
        if (population != plan.populationSize()) {
            throw new IllegalArgumentException("training data must be the checkpointed run's ("
                    + plan.populationSize() + " units), had " + population);
        }
        checkpoint.copyParametersInto(model);
        RunState state = new RunState(plan, checkpoint.history(), checkpoint.steps(), checkpoint.epochs(),
                checkpoint.trainSeconds());
        return run(state, train, valid, checkpoint.optimizerState());
    }

    private void checkData(EncodedDataset train, EncodedDataset valid) {
        Objects.requireNonNull(train, "train");
        if (config.privacyUnit() == PrivacyUnit.USER && !train.hasUsers()) {
            throw new IllegalArgumentException("privacy unit user needs a user id for every training example");
        }
        if (valid != null && valid.numClasses() != train.numClasses()) {
            throw new IllegalArgumentException("validation data must have the training data's "
                    + train.numClasses() + " classes, had " + valid.numClasses());
        }
    }

    /** Everything that must survive a checkpoint, and nothing else. */
    private static final class RunState {
        final PrivacyPlan plan;
        final PrivacyAccountant accountant;
        final List<EpochSummary> epochs;
        long steps;
        double secondsBefore;

        RunState(PrivacyPlan plan, List<PrivacyEvent> history, long steps, List<EpochSummary> epochs,
                double secondsBefore) {
            this.plan = plan;
            this.accountant = Accountants.newAccountant(plan.accountant());
            history.forEach(accountant::compose);
            this.steps = steps;
            this.epochs = new ArrayList<>(epochs);
            this.secondsBefore = secondsBefore;
        }

        double epsilon() {
            if (!plan.isPrivate()) {
                return Double.POSITIVE_INFINITY;
            }
            return accountant.history().isEmpty() ? 0.0 : accountant.epsilon(plan.delta());
        }

        long dpSgdSteps() {
            return accountant.history().stream()
                    .filter(e -> e instanceof PrivacyEvent.PoissonGaussian)
                    .mapToLong(e -> ((PrivacyEvent.PoissonGaussian) e).count())
                    .sum();
        }
    }

    private TrainingResult run(RunState state, EncodedDataset train, EncodedDataset valid,
            Map<String, NDArray> optimizerState) {
        model.setFrozen(config.freeze());
        try {
            return runFrozen(state, train, valid, optimizerState);
        } finally {
            model.setFrozen(FrozenPart.NONE);
        }
    }

    private TrainingResult runFrozen(RunState state, EncodedDataset train, EncodedDataset valid,
            Map<String, NDArray> optimizerState) {
        PrivacyPlan plan = state.plan;
        long started = System.nanoTime();
        NDManager parent = model.parameters().head().getManager();
        clipping = null;
        if (plan.isPrivate() && config.clipQuantile().isPresent()) {
            clipping = new AdaptiveClipping(config.clipQuantile().getAsDouble(), config.maxGradNorm(),
                    plan.noiseMultiplier(), plan.expectedBatchSize());
            clipping.restore(optimizerState);
        }
        try (NDManager runScope = parent.newSubManager();
                CheckpointableOptimizer optimizer = newOptimizer(plan, state.steps, runScope.newSubManager());
                StepTaker steps = plan.isPrivate()
                        ? new PrivateSteps(plan, train, optimizer, state.steps, state.accountant)
                        : new NonPrivateSteps(plan, train, optimizer, state.steps)) {
            if (config.emaDecay().isPresent()) {
                average = new WeightAverage(config.emaDecay().getAsDouble(), model.parameters(),
                        model.parameterNames(), config.freeze(), runScope, state.steps);
                average.restore(optimizerState);
            }
            Map<String, NDArray> restoredOptimizer = new LinkedHashMap<>(WeightAverage.optimizerPart(optimizerState));
            restoredOptimizer.remove(AdaptiveClipping.STATE_KEY);
            optimizer.restoreState(restoredOptimizer);
            BudgetGuard guard = BudgetGuard.forPlan(plan, state.accountant.history(), plan.plannedSteps() - state.steps);
            listeners.forEach(l -> l.onRunStart(plan, config, state.steps));
            if (state.steps == 0) {
                // A run killed before its first epoch can then be resumed with its plan and prior
                // costs (e.g. a DP vocabulary) instead of being started again and paying twice.
                writeCheckpoint(state, optimizer, started, plan.isPrivate() ? state.epsilon() : Double.NaN);
            }
            EpochClock clock = EpochClock.of(plan);
            boolean refused = false;
            while (state.steps < plan.plannedSteps()) {
                if (plan.isPrivate() && !guard.tryTakeStep()) {
                    refused = true;
                    double spent = state.epsilon();
                    listeners.forEach(l -> l.onBudgetRefused(state.steps, spent, plan.epsilonCap()));
                    break;
                }
                int epoch = clock.epochOf(state.steps);
                long stepInEpoch = state.steps - clock.firstStepOf(epoch) + 1;
                boolean measure = state.steps % TRAIN_LOSS_EVERY == 0;
                Evaluation local;
                boolean finite;
                try (NDManager stepScope = runScope.newSubManager()) {
                    lendParameters(stepScope);
                    local = steps.take(stepScope, measure);
                    // The weights, not the training loss: they are the released (noised) state,
                    // so checking them is post-processing; a NaN loss makes them NaN in this step.
                    finite = NonFiniteTrainingException.allFinite(model.parameters());
                }
                state.steps++;
                optimizer.stepDone();
                if (!finite) {
                    throw stoppedNonFinite(state, started);
                }
                if (average != null) {
                    average.update(model.parameters());
                }
                StepProgress progress = new StepProgress(state.steps, epoch, stepInEpoch, clock.stepsIn(epoch),
                        local.loss(), local.accuracy());
                listeners.forEach(l -> l.onStepEnd(progress));
                if (clock.endsEpoch(state.steps)) {
                    endEpoch(state, epoch, valid, runScope, optimizer, started);
                }
            }
            if (refused && (state.epochs.isEmpty() || state.epochs.get(state.epochs.size() - 1).steps() != state.steps)) {
                endEpoch(state, clock.epochOf(state.steps - 1), valid, runScope, optimizer, started);
            }
            if (average != null) {
                average.copyInto(model.parameters()); // the saved model is the average
            }
            TrainingResult result = result(state, refused, seconds(state, started));
            listeners.forEach(l -> l.onRunEnd(result));
            return result;
        }
    }

    /**
     * The weights became non-finite in the step just taken, whose privacy is composed: listeners
     * hear of it (the audit log) and of the run's end (report.json), and the exception carries the
     * result so the session records the steps taken (run_end, the ledger) before it reaches the user.
     */
    private NonFiniteTrainingException stoppedNonFinite(RunState state, long started) {
        double spent = state.plan.isPrivate() ? state.epsilon() : Double.NaN;
        listeners.forEach(l -> l.onNonFinite(state.steps, spent));
        TrainingResult result = result(state, false, seconds(state, started));
        listeners.forEach(l -> l.onRunEnd(result));
        String privacy = state.plan.isPrivate() ? String.format(Locale.ROOT,
                "; the privacy spent by the %d steps taken (epsilon %.4g at delta %.1e) stays recorded", state.steps,
                spent, state.plan.delta()) : "";
        return new NonFiniteTrainingException(String.format(Locale.ROOT,
                "training stopped after step %d of %d: the weights became non-finite (NaN or infinite), usually from"
                        + " a learning rate too large for the model (learning rate %s)%s; train again with a smaller one",
                state.steps, state.plan.plannedSteps(), config.learningRate(), privacy), result);
    }

    /** An epoch end's validation figures: loss and accuracy, and the task's further metrics (or none). */
    private record Validation(Evaluation evaluation, Map<String, Double> metrics) {}

    private Validation validate(EncodedDataset valid, NDManager runScope) {
        try (NDManager evaluationScope = runScope.newSubManager()) {
            lendParameters(evaluationScope);
            Evaluation evaluation = Evaluation.of(model, valid, evaluationScope, config.microBatchSize());
            Map<String, Double> metrics = validationMetrics != null && valid != null && valid.size() > 0
                    ? validationMetrics.measure(valid, evaluationScope) : Map.of();
            return new Validation(evaluation, metrics);
        }
    }

    private void endEpoch(RunState state, int epoch, EncodedDataset valid, NDManager runScope,
            CheckpointableOptimizer optimizer, long started) {
        Validation[] validation = new Validation[1];
        // with a moving average, every figure is of the averaged weights (the model that is saved)
        Runnable evaluate = () -> validation[0] = validate(valid, runScope);
        if (average != null) {
            average.withAveragedWeights(model.parameters(), evaluate);
        } else {
            evaluate.run();
        }
        double epsilon = state.plan.isPrivate() ? state.epsilon() : Double.NaN;
        EpochSummary summary = new EpochSummary(epoch, state.steps, epsilon, validation[0].evaluation().loss(),
                validation[0].evaluation().accuracy(), validation[0].metrics());
        state.epochs.add(summary);
        // The checkpoint (model and accountant history together, one atomic file) is durable
        // BEFORE anything computed from this model is published: a crash after a listener logged
        // the epoch's validation figures resumes from a state whose history covers them.
        writeCheckpoint(state, optimizer, started, epsilon);
        listeners.forEach(l -> l.onEpochEnd(summary));
    }

    /**
     * Writes the model, optimizer state and the accountant's full history in one file, so the
     * checkpoint never holds a model that has seen more steps than its history. The file is synced
     * under its temporary name, the listeners record its hash (the audit log), and only then does
     * it replace the previous checkpoint (ARCHITECTURE §6): the checkpoint in place is always one
     * the log names, and a crash in between leaves the new one synced for a resume to publish.
     */
    private void writeCheckpoint(RunState state, CheckpointableOptimizer optimizer, long started, double epsilon) {
        if (checkpointFile == null) {
            return;
        }
        Map<String, NDArray> optimizerState = optimizer.state();
        if (average != null || clipping != null) {
            optimizerState = new LinkedHashMap<>(optimizerState);
        }
        if (average != null) {
            optimizerState.putAll(average.state());
        }
        if (clipping != null) {
            clipping.putState(model.parameters().head().getManager(), optimizerState);
        }
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(config, state.plan, state.steps,
                state.accountant.history(), state.epochs, seconds(state, started), namedParameters(),
                optimizerState);
        try (CheckpointFile.Staged staged = checkpoint.stageTo(checkpointFile)) {
            listeners.forEach(l -> l.onCheckpoint(checkpointFile, state.steps, epsilon, staged.sha256()));
            staged.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + checkpointFile, e);
        }
    }

    /**
     * DJL puts the result of an op in its first operand's manager, so an op on a parameter (an
     * embedding lookup, a transpose of a weight) would add an array to the model's run-long
     * manager every step: native memory that grows until the run ends (measured: gigabytes within
     * a minute). Lending the parameters to {@code scope} puts those results in it; when it closes,
     * the parameters go back to their own manager, unchanged.
     */
    private void lendParameters(NDManager scope) {
        MicroBatchedSums.lendParameters(model, scope);
    }

    private static double seconds(RunState state, long started) {
        return state.secondsBefore + (System.nanoTime() - started) / 1e9;
    }

    private Map<String, NDArray> namedParameters() {
        Map<String, NDArray> named = new LinkedHashMap<>();
        NDList parameters = model.parameters();
        List<String> names = model.parameterNames();
        for (int i = 0; i < parameters.size(); i++) {
            named.put(names.get(i), parameters.get(i));
        }
        return named;
    }

    private TrainingResult result(RunState state, boolean refused, double seconds) {
        PrivacyPlan plan = state.plan;
        Map<String, Double> breakdown = new LinkedHashMap<>();
        double epsilon = Double.POSITIVE_INFINITY;
        if (plan.isPrivate()) {
            epsilon = state.epsilon();
            breakdown.put(PrivacyCost.DP_SGD, epsilonOf(plan, List.of(plan.stepEvent(state.dpSgdSteps()))));
            for (PrivacyCost cost : plan.priorCosts()) {
                breakdown.merge(cost.mechanism(), epsilonOf(plan, cost.events()), (a, b) -> b);
            }
        }
        EpochSummary last = state.epochs.isEmpty() ? null : state.epochs.get(state.epochs.size() - 1);
        return new TrainingResult(plan.isPrivate(), epsilon, breakdown, plan.delta(), plan.accountant(), plan.unit(),
                plan.noiseMultiplier(), plan.sampleRate(), plan.expectedBatchSize(), state.steps, plan.plannedSteps(),
                refused, last == null ? Double.NaN : last.validLoss(), last == null ? Double.NaN : last.validAccuracy(),
                seconds, state.epochs, PrivacyHistory.merged(state.accountant.history()));
    }

    private static double epsilonOf(PrivacyPlan plan, List<PrivacyEvent> events) {
        PrivacyAccountant accountant = Accountants.newAccountant(plan.accountant());
        events.stream().filter(e -> !(e instanceof PrivacyEvent.PoissonGaussian pg && pg.count() == 0))
                .forEach(accountant::compose);
        return accountant.epsilon(plan.delta());
    }

    private CheckpointableOptimizer newOptimizer(PrivacyPlan plan, long completedSteps, NDManager stateManager) {
        var tracker = LearningRateSchedule.tracker(config, plan.plannedSteps());
        return config.optimizer() == OptimizerKind.ADAM
                ? CheckpointableOptimizer.adam(tracker, completedSteps, stateManager)
                : CheckpointableOptimizer.sgd(tracker, config.momentum(), completedSteps, stateManager);
    }

    /** One logical step; returns a local-only training loss/accuracy when asked (else NaN). */
    private interface StepTaker extends AutoCloseable {
        Evaluation take(NDManager scope, boolean measure);

        @Override
        default void close() {}
    }

    /** Each step a {@link DpSgdStep} over the run's {@link StepSums}; it composes the accountant. */
    private final class PrivateSteps implements StepTaker {
        private final CheckpointableOptimizer optimizer;
        private final StepSums sums;
        private final DpSgdStep step;
        private final ParameterSet parameters;
        /** Public preconditioning's scale, when the config asks for it (ARCHITECTURE §2). */
        private final PublicPreconditioner preconditioner;
        private final EpochClock clock;
        private long taken;

        PrivateSteps(PrivacyPlan plan, EncodedDataset train, CheckpointableOptimizer optimizer, long completedSteps,
                PrivacyAccountant accountant) {
            this.optimizer = optimizer;
            this.clock = EpochClock.of(plan);
            this.preconditioner = config.precondition().isEmpty() ? null
                    : new PublicPreconditioner(model, publicText, config.freeze());
            this.sums = stepSums.open(model, preconditioner == null ? clippers : preconditioned(preconditioner), train,
                    plan, config, randomness.sampler());
            this.step = DpSgdStep.builder().setSums(sums).setPopulationSize(plan.populationSize())
                    .setSampleRate(plan.sampleRate()).setNoiseMultiplier(plan.noiseMultiplier())
                    .setMaxGradNorm(config.maxGradNorm()).optNoise(randomness.noise()).optAccountant(accountant)
                    .optFrozen(config.freeze()).optClipping(clipping).build();
            this.parameters = ParameterSet.of(model.parameterNames(), model.parameters());
            this.taken = completedSteps;
        }

        @Override
        public Evaluation take(NDManager scope, boolean measure) {
            if (preconditioner != null) {
                preconditioner.refreshIfDue(scope, taken, taken - clock.firstStepOf(clock.epochOf(taken)));
            }
            return step.take(scope, taken++, measure, parameters, optimizer::update);
        }

        /**
         * The clipping with the public scale inside each unit's norm ({@link PreconditionedClipper}:
         * the fused pass for a language model, else one autograd pass per unit).
         */
        @SuppressWarnings("unchecked")
        private ModelClippers preconditioned(PublicPreconditioner scale) {
            return clippers.with((Class<DifferentiableModel>) model.getClass(),
                    m -> new PreconditionedClipper(m, scale::scale));
        }

        @Override
        public void close() {
            try {
                sums.close();
            } finally {
                if (preconditioner != null) {
                    preconditioner.close();
                }
            }
        }
    }

    /** Fixed-size shuffled batches of B, plain summed gradients divided by B: no privacy. */
    private final class NonPrivateSteps implements StepTaker {
        private final EncodedDataset train;
        private final CheckpointableOptimizer optimizer;
        private final MicroBatcher batcher = new MicroBatcher(config.microBatchSize());
        private final Random order;
        private final int batchSize;
        private int[] permutation = new int[0];
        private int position;

        NonPrivateSteps(PrivacyPlan plan, EncodedDataset train, CheckpointableOptimizer optimizer, long completedSteps) {
            this.train = train;
            this.optimizer = optimizer;
            this.batchSize = (int) Math.max(1, Math.round(plan.expectedBatchSize()));
            // --seed fixes the data order (a resumed run continues with a different, derived order).
            long seed = config.seed().orElse(new java.security.SecureRandom().nextLong());
            this.order = new Random(seed ^ (completedSteps * 0x9E3779B97F4A7C15L));
        }

        private int[] nextBatch() {
            int[] batch = new int[batchSize];
            for (int i = 0; i < batchSize; i++) {
                if (position == permutation.length) {
                    permutation = shuffled(train.size());
                    position = 0;
                }
                batch[i] = permutation[position++];
            }
            return batch;
        }

        private int[] shuffled(int n) {
            List<Integer> indices = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                indices.add(i);
            }
            Collections.shuffle(indices, order);
            return indices.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public Evaluation take(NDManager scope, boolean measure) {
            int[] batch = nextBatch();
            List<int[]> units = new ArrayList<>(batch.length);
            for (int example : batch) {
                units.add(new int[] {example});
            }
            NDList parameters = model.parameters();
            NDArray[] sums = new NDArray[parameters.size()];
            Evaluation local = Evaluation.NONE;
            for (MicroBatch micro : batcher.pack(units, false)) {
                try (NDManager microScope = scope.newSubManager()) {
                    Batch encoded = BatchEncoder.encode(microScope, train, micro.examples(), null);
                    MicroBatchedSums.accumulate(sums, model.gradientSum(microScope, encoded), scope);
                    if (measure && local == Evaluation.NONE) {
                        local = MicroBatchedSums.measure(model, microScope, encoded);
                    }
                }
            }
            List<String> names = model.parameterNames();
            for (int i = 0; i < sums.length; i++) {
                if (!config.freeze().freezes(names.get(i))) {
                    optimizer.update(names.get(i), parameters.get(i), sums[i].div(batchSize));
                }
            }
            return local;
        }
    }

    /** Builder; {@link #config} and {@link #model} are required. */
    public static final class Builder {
        private DpSgdConfig config;
        private DifferentiableModel model;
        private TrainingRandomness randomness;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path checkpointFile;
        private ValidationMetrics validationMetrics;
        private StepSums.Factory stepSums;
        private ModelClippers clippers;
        private EncodedDataset publicText;

        private Builder() {}

        public Builder config(DpSgdConfig config) {
            this.config = config;
            return this;
        }

        public Builder model(DifferentiableModel model) {
            this.model = model;
            return this;
        }

        /** Defaults to {@link TrainingRandomness#secure} with the configured noise kind. */
        public Builder optRandomness(TrainingRandomness randomness) {
            this.randomness = randomness;
            return this;
        }

        public Builder optListener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Write a checkpoint to this file at the end of every epoch (atomically). */
        public Builder optCheckpointFile(Path file) {
            this.checkpointFile = file;
            return this;
        }

        /** Further validation figures measured at every epoch end (recorded with the epoch); default none. */
        public Builder optValidationMetrics(ValidationMetrics validationMetrics) {
            this.validationMetrics = validationMetrics;
            return this;
        }

        /**
         * Where a private step's clipped sum is computed (several devices, a cluster); default:
         * in this process. The trainer still adds the noise once and updates the model.
         */
        public Builder optStepSums(StepSums.Factory stepSums) {
            this.stepSums = stepSums;
            return this;
        }

        /**
         * The clipping strategy of each kind of model; default {@link ModelClippers#standard()}
         * (the fused method for the project's classifier and language model).
         */
        public Builder optClippers(ModelClippers clippers) {
            this.clippers = Objects.requireNonNull(clippers, "clippers");
            return this;
        }

        /**
         * Public text encoded as the training data is, for a config that asks for public
         * preconditioning ({@link DpSgdConfig#precondition()}); its examples cost no privacy.
         */
        public Builder optPublicText(EncodedDataset publicText) {
            this.publicText = publicText;
            return this;
        }

        public DpSgdTrainer build() {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(model, "model");
            return new DpSgdTrainer(this);
        }
    }
}
