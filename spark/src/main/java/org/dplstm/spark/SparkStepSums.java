package org.dplstm.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.dplstm.privacy.sampling.KeyedPoissonSampler;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.Evaluation;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.SampledSum;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.LstmStackModel;
import scala.Tuple2;

/**
 * Each private step's clipped sum computed by a Spark cluster, one job a step (ARCHITECTURE §2):
 * the driver broadcasts the weights (one flat array), the step and its Poisson coins; every task
 * keeps its partition's units whose keyed coin says so and sums their clipped gradients with the
 * fused method in micro-batches, on a model its executor made once; {@code treeAggregate} adds
 * the partition sums. The trainer on the driver then adds the secure noise once, divides by the
 * expected batch size, updates the model, composes the accountant and writes checkpoints and
 * audit events as on one machine. Nothing here counts or reports the realised batch size.
 *
 * <p>The training units are distributed once per run (hash-partitioned by id, cached on the
 * executors). The coins are a keyed function of the step and the unit id ({@link
 * KeyedPoissonSampler}), so the sample does not depend on the partitioning and a retried task
 * reproduces its sum; a fresh secret key is drawn for every run and every resume.
 */
public final class SparkStepSums implements StepSums {

    private final JavaSparkContext context;
    private final LstmStackModel model;
    private final PrivacyPlan plan;
    private final KeyedPoissonSampler sampler;
    private final int treeDepth;
    private final RunSpec spec;
    private final Broadcast<RunSpec> run;
    private final JavaRDD<TrainingUnit> units;

    private SparkStepSums(Options options, DifferentiableModel model, EncodedDataset train, PrivacyPlan plan,
            DpSgdConfig config) {
        this.context = JavaSparkContext.fromSparkContext(options.spark.sparkContext());
        this.model = checkedModel(model);
        if (config.freeze() != FrozenPart.NONE || config.clipQuantile().isPresent()) {
            // the tasks clip every parameter to one fixed bound and count nothing
            throw new IllegalArgumentException("Spark training needs every parameter trained and a fixed clip norm,"
                    + " was freeze " + config.freeze().id() + (config.clipQuantile().isPresent() ? ", adaptive clipping" : ""));
        }
        this.plan = plan;
        this.sampler = options.sampler != null ? options.sampler : KeyedPoissonSampler.create();
        this.treeDepth = options.treeDepth;
        boolean userLevel = plan.unit() == PrivacyUnit.USER;
        this.spec = new RunSpec(UUID.randomUUID().toString(), this.model.config(), train.numClasses(), userLevel,
                config.maxGradNorm(), config.microBatchSize());
        this.run = context.broadcast(spec);
        int partitions = options.partitions > 0 ? options.partitions : context.defaultParallelism();
        context.setJobDescription("dplstm: distribute " + plan.populationSize() + " training units");
        // Hash-partitioned by id through a shuffle: a step's tasks then carry only their partition's
        // index, not the units themselves (as tasks over a parallelized collection would).
        this.units = context.parallelize(TrainingUnit.of(train, plan.unit()), partitions)
                .mapToPair(unit -> new Tuple2<>(unit.id(), unit))
                .partitionBy(new HashPartitioner(partitions))
                .values()
                .persist(StorageLevel.MEMORY_ONLY());
        units.count();
    }

    private static LstmStackModel checkedModel(DifferentiableModel model) {
        if (!(model instanceof LstmStackModel stack)) {
            throw new IllegalArgumentException("Spark training needs an LSTM text model, was "
                    + model.getClass().getSimpleName());
        }
        if (stack.config().dataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("Spark training needs float32 parameters, was "
                    + stack.config().dataType());
        }
        if (stack.config().dropout() != 0) {
            // a dropout mask is drawn afresh: a retried task would not reproduce its sum
            throw new IllegalArgumentException("dropout must be 0 for Spark training, was " + stack.config().dropout());
        }
        return stack;
    }

    /** Steps computed on {@code spark} with the defaults: the default parallelism, a secure sampling key. */
    public static StepSums.Factory on(SparkSession spark) {
        return builder(spark).build();
    }

    public static Builder builder(SparkSession spark) {
        return new Builder(spark);
    }

    @Override
    public SampledSum sum(NDManager scope, long step, double clipNorm, boolean measure) {
        if (clipNorm != spec.maxGradNorm()) {
            throw new IllegalStateException("the tasks clip to " + spec.maxGradNorm() + ", the step asked for " + clipNorm);
        }
        double[] total = aggregate(step, UnaryOperator.identity());
        // null arrays: no task kept a unit, and the trainer adds the noise to zeros
        NDArray[] sums = total == null ? new NDArray[model.parameters().size()]
                : FlatWeights.split(total, model.parameters(), scope);
        return new SampledSum(sums, Evaluation.NONE);
    }

    /**
     * Runs step {@code step}'s job and returns the summed clipped gradients as one flat array
     * (null: no task kept a unit). {@code decorate} wraps the task's function (tests inject
     * failures with it; production passes the identity).
     */
    double[] aggregate(long step, UnaryOperator<FlatMapFunction<Iterator<TrainingUnit>, float[]>> decorate) {
        StepInput input = new StepInput(step, FlatWeights.of(model.parameters()),
                sampler.coinsFor(step, plan.sampleRate()));
        Broadcast<StepInput> broadcast = context.broadcast(input);
        try {
            context.setJobDescription("dplstm: step " + (step + 1));
            GradientSum sum = units.mapPartitions(decorate.apply(new PartitionSum(run, broadcast)))
                    .treeAggregate(GradientSum.ZERO, GradientSum::plus, GradientSum::plus, treeDepth);
            return sum.values();
        } finally {
            broadcast.destroy();
        }
    }

    /** The ids step {@code step} keeps, collected by the same coins the step's tasks draw (tests). */
    List<Long> keptIds(long step) {
        StepInput input = new StepInput(step, new float[0], sampler.coinsFor(step, plan.sampleRate()));
        return units.mapPartitions(partition -> PartitionSum.keptUnits(partition, input).stream()
                .map(TrainingUnit::id).iterator()).collect();
    }

    /** How many partitions the units are in. */
    int partitions() {
        return units.getNumPartitions();
    }

    @Override
    public void close() {
        units.unpersist(false);
        run.destroy();
        ExecutorModels.release(spec.runId());
    }

    /** How steps run on a session; immutable. */
    private record Options(SparkSession spark, int partitions, int treeDepth, KeyedPoissonSampler sampler) {}

    /** Builder; the session is required. */
    public static final class Builder {
        private final SparkSession spark;
        private int partitions;
        private int treeDepth = 2;
        private KeyedPoissonSampler sampler;

        private Builder(SparkSession spark) {
            this.spark = Objects.requireNonNull(spark, "spark");
        }

        /** Partitions of the training units (default: the context's default parallelism). */
        public Builder optPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
            }
            this.partitions = partitions;
            return this;
        }

        /** Depth of treeAggregate's tree of partial sums (default 2). */
        public Builder optTreeDepth(int treeDepth) {
            if (treeDepth < 1) {
                throw new IllegalArgumentException("tree depth must be >= 1, was " + treeDepth);
            }
            this.treeDepth = treeDepth;
            return this;
        }

        /**
         * The Poisson coins' key. Leave unset in production (a fresh secret key per run); tests pass
         * {@link KeyedPoissonSampler#seededForTesting} to share one sample between two computations.
         */
        public Builder optSampler(KeyedPoissonSampler sampler) {
            this.sampler = Objects.requireNonNull(sampler, "sampler");
            return this;
        }

        public StepSums.Factory build() {
            if (spark.sparkContext().getConf().getBoolean("spark.speculation", false)) {
                throw new IllegalArgumentException("spark.speculation must be false for DP-SGD training jobs"
                        + " (each step's tasks must run as scheduled), was true");
            }
            Options options = new Options(spark, partitions, treeDepth, sampler);
            // executors clip with the standard strategy of the models they make (ModelClippers.standard())
            return (model, clippers, train, plan, config, localSampler) ->
                    new SparkStepSums(options, model, train, plan, config);
        }
    }
}
