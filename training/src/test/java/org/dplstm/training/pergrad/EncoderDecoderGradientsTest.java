package org.dplstm.training.pergrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.training.pergrad.GradientAssertions.assertClippedGradientsClose;
import static org.dplstm.training.pergrad.GradientAssertions.assertSumsClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.dplstm.training.model.AttentionScore;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.model.TestPairs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fused encoder-decoder method against the one-unit-at-a-time autograd loop (each unit's own
 * gradient through the engine's fused LSTMs and autograd, clipped, summed): 1e-9 relative in
 * float64, 1e-4 in float32 (ARCHITECTURE §3.10).
 */
@Tag("engine")
class EncoderDecoderGradientsTest {

    /** Sources and targets padded differently; the fourth target has one token (nothing to predict). */
    private static final long[] SOURCE_LENGTHS = {5, 1, 3, 5, 2};
    private static final long[] TARGET_LENGTHS = {4, 6, 2, 1, 6};
    private static final double FLOAT64_TOLERANCE = 1e-9;
    private static final double FLOAT32_TOLERANCE = 1e-4;

    /** The source embedding of every model here starts at a word-level source's scale. */
    private static final double WORD_SOURCE = LstmEncoderDecoder.WORD_SOURCE_EMBEDDING_INIT;

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static ModelConfig.Builder tiny() {
        return ModelConfig.builder().task(ModelTask.SEQ2SEQ).vocabSize(9).optTargetVocabSize(8)
                .embeddingDim(3).hiddenSize(4).optDataType(DataType.FLOAT64);
    }

    private static ModelConfig.Builder tinyTied() {
        return tiny().embeddingDim(4).optTiedEmbedding(true);
    }

    private static void assertFusedMatchesLoop(ModelConfig config, long[] groups, double clip, double tolerance) {
        try (NDManager scope = engine.manager().newSubManager();
                LstmEncoderDecoder model = LstmEncoderDecoder.create(config, scope, 7, WORD_SOURCE)) {
            Batch batch = TestPairs.random(scope, config, SOURCE_LENGTHS, TARGET_LENGTHS, groups, 11);
            ClippedGradients loop = new PerExampleLoopGradients(model).clippedGradientSum(scope, batch, clip);
            ClippedGradients fused = new EncoderDecoderGradients(model).clippedGradientSum(scope, batch, clip);
            assertClippedGradientsClose(config.toString(), model, fused, loop, tolerance);
        }
    }

    /** A bound below the median per-example norm, so some examples are clipped and some not. */
    private static double clipBelowMedian(ModelConfig config) {
        try (NDManager scope = engine.manager().newSubManager();
                LstmEncoderDecoder model = LstmEncoderDecoder.create(config, scope, 7, WORD_SOURCE)) {
            Batch batch = TestPairs.random(scope, config, SOURCE_LENGTHS, TARGET_LENGTHS, null, 11);
            double[] norms = new PerExampleLoopGradients(model).clippedGradientSum(scope, batch, 1e9).norms()
                    .toType(DataType.FLOAT64, false).toDoubleArray();
            Arrays.sort(norms);
            assertThat(norms[0]).as("the one-token target has no loss").isZero();
            return 0.9 * norms[norms.length / 2];
        }
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWithGeneralAttentionAndClippingActive() {
        ModelConfig config = tiny().build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config), FLOAT64_TOLERANCE);
        assertFusedMatchesLoop(config, null, 1e9, FLOAT64_TOLERANCE);
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWithDotAttention() {
        ModelConfig config = tiny().optAttention(AttentionScore.DOT).build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config), FLOAT64_TOLERANCE);
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWithBidirectionalStackedEncoder() {
        ModelConfig config = tiny().optBidirectional(true).optLayers(2).build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config), FLOAT64_TOLERANCE);
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopWithTiedTargetEmbedding() {
        ModelConfig config = tinyTied().build();
        assertFusedMatchesLoop(config, null, clipBelowMedian(config), FLOAT64_TOLERANCE);
        ModelConfig bidirectional = tiny().embeddingDim(8).optBidirectional(true).optTiedEmbedding(true)
                .optAttention(AttentionScore.DOT).build();
        assertFusedMatchesLoop(bidirectional, null, 1e9, FLOAT64_TOLERANCE);
    }

    @Test
    void fusedClippedSumMatchesPerUserLoopForUserLevelClipping() {
        long[] groups = {42, 7, 42, 3, 7};
        assertFusedMatchesLoop(tiny().build(), groups, 0.05, FLOAT64_TOLERANCE);
        assertFusedMatchesLoop(tinyTied().optLayers(2).build(), groups, 0.05, FLOAT64_TOLERANCE);
    }

    @Test
    void fusedClippedSumMatchesPerExampleLoopInFloat32() {
        ModelConfig config = tiny().optBidirectional(true).optDataType(DataType.FLOAT32).build();
        assertFusedMatchesLoop(config, null, 0.5, FLOAT32_TOLERANCE);
        assertFusedMatchesLoop(tinyTied().optDataType(DataType.FLOAT32).build(), null, 1e9, FLOAT32_TOLERANCE);
    }

    @Test
    void fusedUnclippedSumEqualsEnginePlainGradient() {
        ModelConfig config = tinyTied().optLayers(2).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmEncoderDecoder model = LstmEncoderDecoder.create(config, scope, 3, WORD_SOURCE)) {
            Batch batch = TestPairs.random(scope, config, SOURCE_LENGTHS, TARGET_LENGTHS, null, 5);
            NDList plain = model.gradientSum(scope, batch);
            NDList fused = new EncoderDecoderGradients(model)
                    .clippedGradientSum(scope, batch, Double.POSITIVE_INFINITY).sums();
            assertSumsClose(GateGradientMethod.UNROLLED, model, fused, plain);
        }
    }

    @Test
    void tiedNormIncludesTheCrossTermBetweenTargetEmbeddingAndOutputUses() {
        // Untied with the same weights, the table's two uses have separate gradients G_emb and G_out; the tied
        // norm must be ‖G_emb + G_out‖ (with the other parameters), which differs from √(‖G_emb‖² + ‖G_out‖²).
        ModelConfig tied = tinyTied().build();
        ModelConfig untied = tied.toBuilder().optTiedEmbedding(false).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmEncoderDecoder tiedModel = LstmEncoderDecoder.create(tied, scope, 7, WORD_SOURCE);
                LstmEncoderDecoder untiedModel = LstmEncoderDecoder.create(untied, scope, 8, WORD_SOURCE)) {
            NDList from = tiedModel.parameters();
            NDList to = untiedModel.parameters();
            for (int i = 0; i < tiedModel.outputBiasIndex(); i++) {
                from.get(i).copyTo(to.get(i));
            }
            from.get(tiedModel.targetEmbeddingIndex()).copyTo(to.get(untiedModel.outputWeightIndex()));
            from.get(tiedModel.outputBiasIndex()).copyTo(to.get(untiedModel.outputBiasIndex()));
            Batch batch = TestPairs.random(scope, tied, new long[] {5}, new long[] {6}, null, 11);
            double tiedNorm = new EncoderDecoderGradients(tiedModel).clippedGradientSum(scope, batch, 1e9)
                    .norms().getDouble(0);
            double untiedNorm = new EncoderDecoderGradients(untiedModel).clippedGradientSum(scope, batch, 1e9)
                    .norms().getDouble(0);
            NDList untiedGradient = untiedModel.gradientSum(scope, batch);
            int table = untiedModel.targetEmbeddingIndex();
            NDArray summedTable = untiedGradient.get(table).add(untiedGradient.get(untiedModel.outputWeightIndex()));
            double expectedSquared = summedTable.square().sum().getDouble();
            for (int i = 0; i < untiedGradient.size(); i++) {
                if (i != table && i != untiedModel.outputWeightIndex()) {
                    expectedSquared += untiedGradient.get(i).square().sum().getDouble();
                }
            }
            assertThat(tiedNorm).isCloseTo(Math.sqrt(expectedSquared), Offset.offset(1e-9));
            assertThat(Math.abs(tiedNorm - untiedNorm)).as("cross term is material").isGreaterThan(1e-4 * tiedNorm);
        }
    }
}
