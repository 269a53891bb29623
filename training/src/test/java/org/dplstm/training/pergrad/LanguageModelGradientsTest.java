package org.dplstm.training.pergrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.training.pergrad.GradientAssertions.assertClippedGradientsClose;
import static org.dplstm.training.pergrad.GradientAssertions.assertUnclippedSumsArePlainGradient;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.TestBatches;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fused method on a language model against the one-unit-at-a-time autograd loop, in float64. */
@Tag("engine")
class LanguageModelGradientsTest {

    /** Padded: lengths below the padded 6, one of length 1 (nothing to predict). */
    private static final long[] VARIED_LENGTHS = {6, 1, 4, 6, 2};

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static ModelConfig.Builder tiny() {
        return ModelConfig.builder()
                .task(ModelTask.LANGUAGE_MODEL)
                .vocabSize(9)
                .embeddingDim(3)
                .hiddenSize(4)
                .optDataType(DataType.FLOAT64);
    }

    private static ModelConfig.Builder tinyTied() {
        return tiny().embeddingDim(4).optTiedEmbedding(true);
    }

    private static void assertFusedMatchesLoop(ModelConfig config, long[] groups, double clip) {
        try (NDManager scope = engine.manager().newSubManager();
                LstmLanguageModel model = LstmLanguageModel.create(config, scope, 7)) {
            Batch batch = TestBatches.random(scope, config, VARIED_LENGTHS, 6, groups, 11);
            ClippedGradients loop = new PerExampleLoopGradients(model).clippedGradientSum(scope, batch, clip);
            for (GateGradientMethod method : GateGradientMethod.values()) {
                ClippedGradients fused =
                        new FusedPerExampleGradients(model, method).clippedGradientSum(scope, batch, clip);
                assertClippedGradientsClose(method, model, fused, loop);
            }
        }
    }

    /** A bound below the median per-example norm, so some examples are clipped and some not. */
    private static double clipBelowMedian(ModelConfig config) {
        try (NDManager scope = engine.manager().newSubManager();
                LstmLanguageModel model = LstmLanguageModel.create(config, scope, 7)) {
            Batch batch = TestBatches.random(scope, config, VARIED_LENGTHS, 6, null, 11);
            double[] norms = new PerExampleLoopGradients(model).clippedGradientSum(scope, batch, 1e9).norms()
                    .toDoubleArray();
            Arrays.sort(norms);
            assertThat(norms[0]).as("the one-token example has no loss").isZero();
            return 0.9 * norms[norms.length / 2];
        }
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopOnPaddedBatchWithClippingActive() {
        ModelConfig config = tiny().build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config));
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWhenNothingIsClipped() {
        assertFusedMatchesLoop(tiny().build(), null, 1e9);
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopForStackedLayers() {
        ModelConfig config = tiny().optLayers(2).build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config));
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWithTiedEmbedding() {
        ModelConfig config = tinyTied().build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config));
        assertFusedMatchesLoop(config, null, 1e9);
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWithTiedEmbeddingAndStackedLayers() {
        ModelConfig config = tinyTied().optLayers(2).build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config));
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopForGruCells() {
        ModelConfig config = tiny().optCell(CellKind.GRU).optLayers(2).build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config));
        ModelConfig tied = tinyTied().optCell(CellKind.GRU).build();
        assertFusedMatchesLoop(tied, null, clipBelowMedian(tied));
        assertFusedMatchesLoop(tied, new long[] {42, 7, 42, 3, 7}, 0.05);
    }

    @Test
    void fusedClippedSumMatchesPerUserLoopForUserLevelClipping() {
        long[] groups = {42, 7, 42, 3, 7};
        assertFusedMatchesLoop(tiny().build(), groups, 0.05);
        assertFusedMatchesLoop(tinyTied().optLayers(2).build(), groups, 0.05);
    }

    @Test
    void tiedNormIncludesTheCrossTermBetweenEmbeddingAndOutputUses() {
        // The same weights untied give G_emb and G_out separately; the tied norm is ‖G_emb + G_out‖,
        // which must differ from √(‖G_emb‖² + ‖G_out‖²) for the tied tests above to test the cross term.
        ModelConfig tied = tinyTied().build();
        ModelConfig untied = tied.toBuilder().optTiedEmbedding(false).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmLanguageModel tiedModel = LstmLanguageModel.create(tied, scope, 7);
                LstmLanguageModel untiedModel = LstmLanguageModel.create(untied, scope, 8)) {
            NDList from = tiedModel.parameters();
            NDList to = untiedModel.parameters();
            for (int i = 0; i < from.size() - 1; i++) {
                from.get(i).copyTo(to.get(i));
            }
            from.get(0).copyTo(to.get(untiedModel.outputWeightIndex()));
            from.get(tiedModel.outputBiasIndex()).copyTo(to.get(untiedModel.outputBiasIndex()));
            Batch batch = TestBatches.random(scope, tied, new long[] {6}, 6, null, 11);
            double tiedNorm = new FusedPerExampleGradients(tiedModel).clippedGradientSum(scope, batch, 1e9)
                    .norms().getDouble(0);
            double untiedNorm = new FusedPerExampleGradients(untiedModel).clippedGradientSum(scope, batch, 1e9)
                    .norms().getDouble(0);
            NDList untiedGradient = untiedModel.gradientSum(scope, batch);
            NDArray summedTable = untiedGradient.get(0).add(untiedGradient.get(untiedModel.outputWeightIndex()));
            double expectedSquared = summedTable.square().sum().getDouble();
            for (int i = 1; i < untiedGradient.size(); i++) {
                if (i != untiedModel.outputWeightIndex()) {
                    expectedSquared += untiedGradient.get(i).square().sum().getDouble();
                }
            }
            assertThat(tiedNorm).isCloseTo(Math.sqrt(expectedSquared), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(Math.abs(tiedNorm - untiedNorm)).as("cross term is material").isGreaterThan(1e-4 * tiedNorm);
        }
    }

    @Test
    void fusedUnclippedSumEqualsEnginePlainGradient() {
        ModelConfig config = tinyTied().optLayers(2).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmLanguageModel model = LstmLanguageModel.create(config, scope, 3)) {
            assertUnclippedSumsArePlainGradient(scope, model, TestBatches.random(scope, config, VARIED_LENGTHS, 6, null, 5));
        }
    }
}
