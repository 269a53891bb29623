package org.dplstm.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.sampling.KeyedPoissonSampler;
import org.dplstm.training.dpsgd.ClipBound;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.EncodedUnits;
import org.dplstm.training.dpsgd.MicroBatchedSums;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.PrivacyPlanner;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.StepSums;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.pergrad.FusedPerExampleGradients;
import org.dplstm.training.pergrad.ModelClippers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A step's clipped sum computed by Spark (local[2,2]) against the single-process sum of the same
 * sampled units, and the keyed sample against the coins drawn in one process.
 */
class SparkStepSumsTest {

    private static final long KEY_SEED = 7;
    private static final double MAX_GRAD_NORM = 0.5;
    private static NDManager manager;
    private static LstmClassifier model;

    @BeforeAll
    static void model() {
        manager = NDManager.newBaseManager();
        model = LstmClassifier.create(TokenData.classifier(), manager, 3);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static DpSgdConfig config(PrivacyUnit unit) {
        return DpSgdConfig.builder().noiseMultiplier(1.0).optAccountant(AccountantKind.RDP)
                .optExpectedBatchSize(30).optEpochs(1).optMaxGradNorm(MAX_GRAD_NORM).optMicroBatchSize(16)
                .optPrivacyUnit(unit).build();
    }

    private static SparkStepSums open(EncodedDataset data, DpSgdConfig config, int partitions) {
        PrivacyPlan plan = PrivacyPlanner.plan(config, data.unitCount(config.privacyUnit()), List.of());
        StepSums.Factory factory = SparkStepSums.builder(TestSpark.session()).optPartitions(partitions)
                .optSampler(KeyedPoissonSampler.seededForTesting(KEY_SEED)).build();
        return (SparkStepSums) factory.open(model, ModelClippers.standard(), data, plan, config, (n, q) -> {
            throw new AssertionError("a cluster draws its own coins");
        });
    }

    /** The clipped sum of step {@code step}'s keyed sample, computed in this process in one pass. */
    private static float[] singleProcessSum(EncodedDataset data, DpSgdConfig config, long step) {
        PrivacyPlan plan = PrivacyPlanner.plan(config, data.unitCount(config.privacyUnit()), List.of());
        EncodedUnits units = EncodedUnits.of(data, config.privacyUnit());
        int[] sampled = KeyedPoissonSampler.seededForTesting(KEY_SEED).sample(step, plan.populationSize(),
                plan.sampleRate());
        assertThat(sampled).isNotEmpty();
        try (NDManager scope = manager.newSubManager()) {
            MicroBatchedSums.lendParameters(model, scope);
            NDArray[] sums = MicroBatchedSums.clipped(new FusedPerExampleGradients(model), units, scope,
                    MicroBatchedSums.unitsOf(units, sampled), ClipBound.of(MAX_GRAD_NORM), 1000, null).sums();
            return FlatWeights.of(new NDList(sums));
        }
    }

    private static void assertClose(double[] distributed, float[] reference) {
        assertThat(distributed).hasSameSizeAs(reference);
        double scale = 0;
        for (float value : reference) {
            scale = Math.max(scale, Math.abs(value));
        }
        assertThat(scale).isGreaterThan(0);
        for (int i = 0; i < reference.length; i++) {
            assertThat(Math.abs(distributed[i] - reference[i])).as("coordinate %d", i).isLessThan(1e-5 * scale);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void clippedSumEqualsTheSingleProcessSumOfTheSameSample(int partitions) {
        EncodedDataset data = TokenData.random(300, 1, false);
        DpSgdConfig config = config(PrivacyUnit.EXAMPLE);
        try (SparkStepSums sums = open(data, config, partitions)) {
            assertThat(sums.partitions()).isEqualTo(partitions);
            for (long step : new long[] {0, 4}) {
                assertClose(sums.aggregate(step, UnaryOperator.identity()), singleProcessSum(data, config, step));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void userLevelSumClipsEachUsersExamplesTogether(int partitions) {
        EncodedDataset data = TokenData.random(300, 2, true);
        DpSgdConfig config = config(PrivacyUnit.USER);
        try (SparkStepSums sums = open(data, config, partitions)) {
            assertClose(sums.aggregate(2, UnaryOperator.identity()), singleProcessSum(data, config, 2));
        }
    }

    @Test
    void theSampleDoesNotDependOnThePartitioning() {
        EncodedDataset data = TokenData.random(300, 1, false);
        DpSgdConfig config = config(PrivacyUnit.EXAMPLE);
        PrivacyPlan plan = PrivacyPlanner.plan(config, data.size(), List.of());
        for (long step = 0; step < 3; step++) {
            int[] reference = KeyedPoissonSampler.seededForTesting(KEY_SEED).sample(step, data.size(), plan.sampleRate());
            for (int partitions : new int[] {1, 2, 5}) {
                try (SparkStepSums sums = open(data, config, partitions)) {
                    long[] kept = sums.keptIds(step).stream().mapToLong(Long::longValue).sorted().toArray();
                    assertThat(kept).as("step %d on %d partitions", step, partitions)
                            .containsExactly(Arrays.stream(reference).asLongStream().toArray());
                }
            }
        }
    }

    @Test
    void aTaskThatFailsOnItsFirstAttemptGivesTheIdenticalSumOnRetry() {
        EncodedDataset data = TokenData.random(300, 3, false);
        try (SparkStepSums sums = open(data, config(PrivacyUnit.EXAMPLE), 2)) {
            double[] clean = sums.aggregate(1, UnaryOperator.identity());
            double[] retried = sums.aggregate(1, SparkStepSumsTest::failFirstAttemptOfPartitionZero);
            assertThat(retried).containsExactly(clean);
        }
    }

    private static FlatMapFunction<java.util.Iterator<TrainingUnit>, float[]> failFirstAttemptOfPartitionZero(
            FlatMapFunction<java.util.Iterator<TrainingUnit>, float[]> task) {
        return partition -> {
            TaskContext context = TaskContext.get();
            if (context.partitionId() == 0 && context.attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of the first attempt");
            }
            return task.call(partition);
        };
    }

    @Test
    void speculativeExecutionIsRefused() {
        org.apache.spark.sql.SparkSession session = TestSpark.session();
        session.sparkContext().conf().set("spark.speculation", "true");
        try {
            assertThatThrownBy(() -> SparkStepSums.on(session))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("spark.speculation must be false for DP-SGD training jobs (each step's tasks must run"
                            + " as scheduled), was true");
        } finally {
            session.sparkContext().conf().set("spark.speculation", "false");
        }
    }
}
