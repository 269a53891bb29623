package org.dplstm.training.pergrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.training.pergrad.GradientAssertions.assertClippedGradientsClose;
import static org.dplstm.training.pergrad.GradientAssertions.assertUnclippedSumsArePlainGradient;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.Pooling;
import org.dplstm.training.model.TestBatches;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fused method against the one-unit-at-a-time autograd loop, in float64. */
@Tag("engine")
class FusedPerExampleGradientsTest {

    private static final long[] VARIED_LENGTHS = {6, 1, 4, 6, 2};

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static ModelConfig.Builder tiny() {
        return ModelConfig.builder()
                .vocabSize(12)
                .embeddingDim(3)
                .hiddenSize(4)
                .numClasses(3)
                .optDataType(DataType.FLOAT64);
    }

    private static void assertFusedMatchesLoop(ModelConfig config, long[] lengths, long[] groups, double clip) {
        assertFusedMatchesLoop(config, lengths, 6, groups, clip);
    }

    private static void assertFusedMatchesLoop(
            ModelConfig config, long[] lengths, int steps, long[] groups, double clip) {
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 7)) {
            Batch batch = TestBatches.random(scope, config, lengths, steps, groups, 11);
            ClippedGradients loop = new PerExampleLoopGradients(model).clippedGradientSum(scope, batch, clip);
            for (GateGradientMethod method : GateGradientMethod.values()) {
                ClippedGradients fused =
                        new FusedPerExampleGradients(model, method).clippedGradientSum(scope, batch, clip);
                assertClippedGradientsClose(method, model, fused, loop);
            }
        }
    }

    private static double median(NDArray norms) {
        double[] values = norms.toType(DataType.FLOAT64, false).toDoubleArray();
        java.util.Arrays.sort(values);
        return values[values.length / 2];
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopForOneLayerWithClippingActive() {
        ModelConfig config = tiny().build();
        assertFusedMatchesLoop(config, VARIED_LENGTHS, null, clipBelowMedian(config));
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWhenNothingIsClipped() {
        assertFusedMatchesLoop(tiny().build(), VARIED_LENGTHS, null, 1e9);
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopForStackedLayers() {
        ModelConfig config = tiny().optLayers(2).build();
        assertFusedMatchesLoop(config, VARIED_LENGTHS, null, clipBelowMedian(config));
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopForBidirectionalLayers() {
        ModelConfig config = tiny().optBidirectional(true).build();
        assertFusedMatchesLoop(config, VARIED_LENGTHS, null, clipBelowMedian(config));
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopForStackedBidirectionalWithLayerNorm() {
        ModelConfig config = tiny().optLayers(2).optBidirectional(true).optLayerNorm(true).build();
        assertFusedMatchesLoop(config, VARIED_LENGTHS, null, clipBelowMedian(config));
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopOnFullLengthBatch() {
        ModelConfig config = tiny().optLayerNorm(true).build();
        assertFusedMatchesLoop(config, new long[] {6, 6, 6}, null, clipBelowMedian(config));
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopForSequencesOfOneToken() {
        ModelConfig config = tiny().optLayers(2).optBidirectional(true).build();
        assertFusedMatchesLoop(config, new long[] {1, 1, 1}, 1, null, 0.05);
    }

    @Test
    void fusedClippedSumMatchesPerGroupLoopForUserLevelClipping() {
        ModelConfig config = tiny().optBidirectional(true).optLayerNorm(true).build();
        long[] groups = {42, 7, 42, 3, 7};
        assertFusedMatchesLoop(config, VARIED_LENGTHS, groups, 0.05);
        assertFusedMatchesLoop(config, VARIED_LENGTHS, groups, 1e9);
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWithMeanPooling() {
        ModelConfig config = tiny().optLayers(2).optBidirectional(true).optLayerNorm(true)
                .optPooling(Pooling.MEAN).build();
        assertFusedMatchesLoop(config, VARIED_LENGTHS, null, clipBelowMedian(config));
        assertFusedMatchesLoop(config, VARIED_LENGTHS, new long[] {42, 7, 42, 3, 7}, 0.05);
    }

    @Test
    void fusedUnclippedSumEqualsEnginePlainGradientWithMeanPooling() {
        ModelConfig config = tiny().optBidirectional(true).optPooling(Pooling.MEAN).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 3)) {
            assertUnclippedSumsArePlainGradient(scope, model, TestBatches.random(scope, config, VARIED_LENGTHS, 6, null, 5));
        }
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopForGruCells() {
        // a GRU's recurrent side has a δ of its own (ARCHITECTURE §3.8); both biases are separate
        for (Pooling pooling : Pooling.values()) {
            ModelConfig config = tiny().optCell(CellKind.GRU).optLayers(2).optBidirectional(true).optLayerNorm(true)
                    .optPooling(pooling).build();
            assertFusedMatchesLoop(config, VARIED_LENGTHS, null, clipBelowMedian(config));
            assertFusedMatchesLoop(config, VARIED_LENGTHS, new long[] {42, 7, 42, 3, 7}, 0.05);
        }
        ModelConfig oneLayer = tiny().optCell(CellKind.GRU).build();
        assertFusedMatchesLoop(oneLayer, VARIED_LENGTHS, null, clipBelowMedian(oneLayer));
        assertFusedMatchesLoop(oneLayer, new long[] {1, 1, 1}, 1, null, 0.05);
    }

    @Test
    void fusedUnclippedGruSumEqualsEnginePlainGradient() {
        ModelConfig config = tiny().optCell(CellKind.GRU).optLayers(2).optBidirectional(true).optLayerNorm(true)
                .build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 3)) {
            assertUnclippedSumsArePlainGradient(scope, model, TestBatches.random(scope, config, VARIED_LENGTHS, 6, null, 5));
        }
    }

    @Test
    void groupNormIsNotTheSumOfItsExamplesNorms() {
        // the cross terms matter: a group's norm differs from the root of summed squared norms
        ModelConfig config = tiny().build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 7)) {
            Batch single = TestBatches.random(scope, config, VARIED_LENGTHS, 6, null, 11);
            Batch grouped = TestBatches.random(scope, config, VARIED_LENGTHS, 6, new long[] {1, 1, 1, 1, 1}, 11);
            FusedPerExampleGradients fused = new FusedPerExampleGradients(model);
            double[] perExample = fused.clippedGradientSum(scope, single, 1e9).norms().toDoubleArray();
            double groupNorm = fused.clippedGradientSum(scope, grouped, 1e9).norms().getDouble(0);
            double independent = 0;
            for (double n : perExample) {
                independent += n * n;
            }
            assertThat(Math.abs(groupNorm - Math.sqrt(independent))).isGreaterThan(1e-6);
        }
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWithTheSameDropoutMask() {
        ModelConfig config = tiny().optBidirectional(true).optLayerNorm(true).optDropout(0.5).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 7)) {
            Batch batch = TestBatches.random(scope, config, VARIED_LENGTHS, 6, null, 11);
            NDArray mask = model.sampleDropoutScale(scope, new ai.djl.ndarray.types.Shape(5, config.featureSize()));
            assertThat(mask.eq(0).sum().getLong()).as("some features dropped").isPositive();
            ClippedGradients loop = new PerExampleLoopGradients(model).clippedGradientSum(scope, batch, 0.05, mask);
            for (GateGradientMethod method : GateGradientMethod.values()) {
                ClippedGradients fused =
                        new FusedPerExampleGradients(model, method).clippedGradientSum(scope, batch, 0.05, mask);
                assertClippedGradientsClose(method, model, fused, loop);
            }
        }
    }

    @Test
    void cpuModelsUseTheUnrolledMethod() {
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(tiny().build(), scope, 1)) {
            assertThat(new FusedPerExampleGradients(model).method())
                    .isEqualTo(scope.getDevice().isGpu() ? GateGradientMethod.ENGINE_IDENTITY : GateGradientMethod.UNROLLED);
        }
    }

    @Test
    void emptyBatchGivesZeroSumsAndNoNorms() {
        ModelConfig config = tiny().optBidirectional(true).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 7)) {
            Batch empty = TestBatches.random(scope, config, new long[0], 6, null, 1);
            ClippedGradients result = new FusedPerExampleGradients(model).clippedGradientSum(scope, empty, 1.0);
            assertThat(result.norms().getShape().get(0)).isZero();
            assertThat(result.sums().size()).isEqualTo(model.parameters().size());
            for (int i = 0; i < result.sums().size(); i++) {
                assertThat(result.sums().get(i).getShape()).isEqualTo(model.parameters().get(i).getShape());
                assertThat(result.sums().get(i).abs().max().getDouble()).isZero();
            }
        }
    }

    @Test
    void fusedUnclippedSumEqualsEnginePlainGradient() {
        ModelConfig config = tiny().optLayers(2).optBidirectional(true).optLayerNorm(true).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 3)) {
            assertUnclippedSumsArePlainGradient(scope, model, TestBatches.random(scope, config, VARIED_LENGTHS, 6, null, 5));
        }
    }

    /** A bound below the median per-example norm, so some examples are clipped and some not. */
    private static double clipBelowMedian(ModelConfig config) {
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 7)) {
            Batch batch = TestBatches.random(scope, config, VARIED_LENGTHS, 6, null, 11);
            NDArray norms = new PerExampleLoopGradients(model).clippedGradientSum(scope, batch, 1e9).norms();
            return 0.9 * median(norms);
        }
    }
}
