package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.pergrad.FusedPerExampleGradients;
import org.dplstm.training.pergrad.PerExampleLoopGradients;
import org.dplstm.training.pergrad.TextBatches;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Public preconditioning (ARCHITECTURE §2, §3.11): the clipped sum in the scaled coordinates, by
 * the fused pass (both gate-gradient methods) and by one autograd pass per unit, against a
 * reference built from the autograd loop's one-example gradients, each unit's bound, and the
 * public scale against its closed form, in float64.
 */
@Tag("engine")
class PublicPreconditioningTest {

    /** Four public-looking texts of varied lengths (padded in a batch), token ids below the vocabulary's 9. */
    private static final int[][] TEXTS = {{1, 4, 2, 7, 3, 3}, {5, 5, 6, 1}, {2, 8, 8, 4, 1}, {3, 6}};
    private static final int EXAMPLES = TEXTS.length;

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private NDManager scope;
    private LstmLanguageModel model;

    @BeforeEach
    void newModel() {
        scope = engine.manager().newSubManager();
        model = LstmLanguageModel.create(tiny(), scope, 7);
    }

    @AfterEach
    void closeModel() {
        model.close();
        scope.close();
    }

    private static ModelConfig tiny() {
        return tinyBuilder().build();
    }

    private static ModelConfig.Builder tinyBuilder() {
        return ModelConfig.builder().task(ModelTask.LANGUAGE_MODEL).vocabSize(9).embeddingDim(3).hiddenSize(4)
                .optDataType(DataType.FLOAT64);
    }

    /** The models the clipped sum is checked on. */
    enum Shape {
        LSTM(tinyBuilder()), GRU(tinyBuilder().optCell(CellKind.GRU)), TWO_LAYERS(tinyBuilder().optLayers(2)),
        TIED(tinyBuilder().embeddingDim(4).optTiedEmbedding(true));

        final ModelConfig config;

        Shape(ModelConfig.Builder builder) {
            this.config = builder.build();
        }
    }

    /** The ways to the clipped sum: the clipper's own choice, the fused pass by the engine's cell, one autograd pass per unit. */
    enum Way { CHOSEN, FUSED_ENGINE_IDENTITY, PER_UNIT }

    static Stream<Arguments> waysAndShapes() {
        return Stream.of(Way.values()).flatMap(way -> Stream.of(Shape.values())
                // a tied output layer has no fused scaled norms
                .filter(shape -> !(way == Way.FUSED_ENGINE_IDENTITY && shape == Shape.TIED))
                .map(shape -> Arguments.of(way, shape)));
    }

    private ClippedGradients clipped(Way way, LstmLanguageModel model, NDList scale, ExampleBatch batch, double clip,
            FrozenPart frozen) {
        return switch (way) {
            case CHOSEN -> new PreconditionedClipper(model, () -> scale).clippedSum(scope, batch, clip, frozen);
            case FUSED_ENGINE_IDENTITY -> FusedPerExampleGradients.of(model, GateGradientMethod.ENGINE_IDENTITY)
                    .scaledClippedSum(scope, batch, clip, frozen, scale);
            case PER_UNIT -> PreconditionedClipper.perUnit(model, () -> scale).clippedSum(scope, batch, clip, frozen);
        };
    }

    @Test
    void theFusedPassServesLanguageModelsWithAnUntiedOutputLayer() {
        NDList none = new NDList();
        for (Shape shape : Shape.values()) {
            try (LstmLanguageModel m = LstmLanguageModel.create(shape.config, scope, 7)) {
                assertThat(new PreconditionedClipper(m, () -> none).isFused()).as(shape.name())
                        .isEqualTo(shape != Shape.TIED);
            }
        }
    }

    private static EncodedDataset texts(int[]... texts) {
        return EncodedDataset.of(texts, new int[texts.length], 1);
    }

    private static int[] all() {
        return IntStream.range(0, EXAMPLES).toArray();
    }

    /** One example's plain gradient by the autograd loop (no clipping), from a batch of that example alone. */
    private static NDList loopGradient(NDManager scope, LstmLanguageModel model, EncodedDataset data, int example) {
        Batch one = BatchEncoder.encode(scope, data, new int[] {example}, null);
        return new PerExampleLoopGradients(model).clippedGradientSum(scope, one, Double.POSITIVE_INFINITY).sums();
    }

    /** A scale of 0.5, 1.5, 0.5, ... over every parameter: far from uniform, so it must be applied to matter. */
    private static NDList alternatingScale(NDManager scope, LstmLanguageModel model) {
        NDList scale = new NDList();
        for (NDArray p : model.parameters()) {
            NDArray index = scope.arange(0, (int) p.size()).toType(DataType.FLOAT64, false);
            scale.add(index.mod(2).mul(1.0).add(0.5).reshape(p.getShape()));
        }
        return scale;
    }

    @ParameterizedTest
    @MethodSource("waysAndShapes")
    void theClippedSumIsTheSumOfEachExamplesScaledGradientClippedInTheScaledNorm(Way way, Shape shape) {
        try (LstmLanguageModel shaped = LstmLanguageModel.create(shape.config, scope, 7)) {
            checkClippedSum(way, shaped);
        }
    }

    private void checkClippedSum(Way way, LstmLanguageModel model) {
        EncodedDataset data = texts(TEXTS);
        NDList scale = alternatingScale(scope, model);
        // the reference: a ⊙ g_i from the loop, its norm, the clip, the sum
        NDList[] scaled = new NDList[EXAMPLES];
        double[] expectedNorms = new double[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            NDList g = loopGradient(scope, model, data, i);
            scaled[i] = new NDList();
            double squared = 0;
            for (int p = 0; p < g.size(); p++) {
                scaled[i].add(g.get(p).mul(scale.get(p)));
                squared += scaled[i].get(p).square().sum().getDouble();
            }
            expectedNorms[i] = Math.sqrt(squared);
        }
        // between the smallest and the largest norm: some examples clipped, some not
        double clip = (Arrays.stream(expectedNorms).min().getAsDouble()
                + Arrays.stream(expectedNorms).max().getAsDouble()) / 2;
        NDList expected = null;
        for (int i = 0; i < EXAMPLES; i++) {
            double factor = Math.min(1, clip / expectedNorms[i]);
            NDList part = new NDList();
            for (NDArray a : scaled[i]) {
                part.add(a.mul(factor));
            }
            if (expected == null) {
                expected = part;
            } else {
                for (int p = 0; p < part.size(); p++) {
                    expected.set(p, expected.get(p).add(part.get(p)));
                }
            }
        }

        ClippedGradients actual = clipped(way, model, scale,
                TextBatches.toExampleBatch(BatchEncoder.encode(scope, data, all(), null)), clip, FrozenPart.NONE);
        assertThat(actual.norms().toDoubleArray()).containsExactly(expectedNorms, within(1e-9));
        for (int p = 0; p < expected.size(); p++) {
            assertThat(actual.sums().get(p).toDoubleArray()).as(model.parameterNames().get(p))
                    .containsExactly(expected.get(p).toDoubleArray(), within(1e-9));
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void eachUnitAddsAtMostTheClipNormHoweverLargeTheScale(Way way) {
        EncodedDataset data = texts(TEXTS);
        NDList huge = new NDList();
        for (NDArray s : alternatingScale(scope, model)) {
            huge.add(s.mul(1000));
        }
        for (int i = 0; i < EXAMPLES; i++) {
            ExampleBatch one = TextBatches.toExampleBatch(BatchEncoder.encode(scope, data, new int[] {i}, null));
            double squared = 0;
            for (NDArray sum : clipped(way, model, huge, one, 0.5, FrozenPart.NONE).sums()) {
                squared += sum.square().sum().getDouble();
            }
            assertThat(Math.sqrt(squared)).as("example %d", i).isLessThanOrEqualTo(0.5 * (1 + 1e-12));
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aUserUnitIsScaledAndClippedAsOneSum(Way way) {
        long[] groups = {0, 1, 0, 1};
        EncodedDataset data = texts(TEXTS);
        Batch batch = BatchEncoder.encode(scope, data, all(), null);
        NDList scale = alternatingScale(scope, model);
        ClippedGradients grouped = clipped(way, model, scale, TextBatches.toExampleBatch(batch, groups), 1e9,
                FrozenPart.NONE);
        // unclipped, the grouped sum is every example's scaled gradient: the same as per example
        ClippedGradients single = clipped(way, model, scale, TextBatches.toExampleBatch(batch), 1e9, FrozenPart.NONE);
        assertThat(grouped.norms().size()).isEqualTo(2);
        for (int p = 0; p < single.sums().size(); p++) {
            assertThat(grouped.sums().get(p).toDoubleArray())
                    .containsExactly(single.sums().get(p).toDoubleArray(), within(1e-9));
        }
        // the unit's norm is of the SUM of its examples' scaled gradients
        NDList g0 = loopGradient(scope, model, data, 0);
        NDList g2 = loopGradient(scope, model, data, 2);
        double squared = 0;
        for (int p = 0; p < g0.size(); p++) {
            squared += g0.get(p).add(g2.get(p)).mul(scale.get(p)).square().sum().getDouble();
        }
        assertThat(grouped.norms().getDouble(0)).isCloseTo(Math.sqrt(squared), within(1e-9));
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void frozenParametersStayOutOfTheNormAndTheSumAsTheFusedMethodLeavesThem(Way way) {
        ExampleBatch batch = TextBatches.toExampleBatch(BatchEncoder.encode(scope, texts(TEXTS), all(), null));
        NDList ones = new NDList();
        for (NDArray p : model.parameters()) {
            ones.add(p.onesLike());
        }
        // a scale of ones: the fused method's own frozen clipping, computed another way, is the reference
        ClippedGradients expected = new FusedPerExampleGradients(model).clippedSum(scope, batch, 0.3,
                FrozenPart.EMBEDDING);
        ClippedGradients actual = clipped(way, model, ones, batch, 0.3, FrozenPart.EMBEDDING);
        assertThat(actual.norms().toDoubleArray()).containsExactly(expected.norms().toDoubleArray(), within(1e-9));
        for (int p = 0; p < expected.sums().size(); p++) {
            assertThat(actual.sums().get(p).toDoubleArray()).as(model.parameterNames().get(p))
                    .containsExactly(expected.sums().get(p).toDoubleArray(), within(1e-9));
        }
        assertThat(actual.sums().get(model.parameterNames().indexOf("embedding")).toDoubleArray()).containsOnly(0.0);
    }

    @Test
    void theScaleIsOneOverPublicRmsPlusItsMeanWithUnitRms() {
        // one public example: every draw is it, so the RMS of a coordinate is |g| of that example
        EncodedDataset publicText = texts(TEXTS[0]);
        NDList g = loopGradient(scope, model, publicText, 0);
        double sum = 0;
        long count = 0;
        for (NDArray a : g) {
            sum += a.abs().sum().getDouble();
            count += a.size();
        }
        double mean = sum / count;
        double squares = 0;
        for (NDArray a : g) {
            squares += a.abs().add(mean).pow(-2).sum().getDouble();
        }
        double norm = Math.sqrt(squares / count);
        try (PublicPreconditioner preconditioner = new PublicPreconditioner(model, publicText, FrozenPart.NONE)) {
            preconditioner.refreshIfDue(scope, 0, 0);
            NDList scale = preconditioner.scale();
            for (int p = 0; p < g.size(); p++) {
                double[] expected = g.get(p).abs().add(mean).pow(-1).div(norm).toDoubleArray();
                assertThat(scale.get(p).toType(DataType.FLOAT64, false).toDoubleArray())
                        .as(model.parameterNames().get(p)).containsExactly(expected, within(1e-9));
            }
            // recomputed every REFRESH_STEPS steps from an epoch's start, kept in between
            preconditioner.refreshIfDue(scope, 1, 1);
            assertThat(preconditioner.scale()).isSameAs(scale);
            preconditioner.refreshIfDue(scope, 40, PublicPreconditioner.REFRESH_STEPS);
            NDList refreshed = preconditioner.scale();
            assertThat(refreshed).isNotSameAs(scale);
            preconditioner.refreshIfDue(scope, 41, 0); // a new epoch's first step
            assertThat(preconditioner.scale()).isNotSameAs(refreshed);
        }
    }

    @Test
    void frozenParametersKeepAScaleOfOneAndStayOutOfTheNormalisation() {
        try (PublicPreconditioner preconditioner = new PublicPreconditioner(model, texts(TEXTS), FrozenPart.EMBEDDING)) {
        preconditioner.refreshIfDue(scope, 0, 0);
        double squares = 0;
        long count = 0;
        for (int p = 0; p < model.parameters().size(); p++) {
            NDArray s = preconditioner.scale().get(p).toType(DataType.FLOAT64, false);
            if (FrozenPart.EMBEDDING.freezes(model.parameterNames().get(p))) {
                assertThat(s.toDoubleArray()).containsOnly(1.0);
            } else {
                squares += s.square().sum().getDouble();
                count += s.size();
            }
        }
        assertThat(Math.sqrt(squares / count)).isCloseTo(1.0, within(1e-9));
        }
    }
}
