package org.dplstm.training.pergrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.mechanism.ghost.NormForm;
import org.dplstm.training.model.TestManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two forms of a linear layer's per-unit squared norms (ARCHITECTURE §3.3), and both of an
 * embedding table's, against each unit's gradient summed example by example and position by
 * position, in float64; per example and with user units of unequal size.
 */
@Tag("engine")
class GhostNormsTest {

    private static final int T = 6;
    private static final int B = 5;
    /** Units {0, 3}, {1}, {2, 4}: unequal sizes, so regrouping pads. */
    private static final long[] GROUPS = {0, 1, 2, 0, 2};

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static NDArray random(NDManager m, long seed, long... shape) {
        Random random = new Random(seed);
        double[] values = new double[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return m.create(values, new Shape(shape));
    }

    /** Each unit's Σ over its examples and positions of g_t a_tᵀ (and of g_t), squared and summed. */
    private static double[] reference(NDArray gradient, NDArray input, long[] groups, int units, boolean withBias) {
        double[] squared = new double[units];
        for (int u = 0; u < units; u++) {
            NDArray weight = null;
            NDArray bias = null;
            for (int i = 0; i < B; i++) {
                if ((groups == null ? i : groups[i]) != u) {
                    continue;
                }
                NDArray g = gradient.get(new NDIndex(":, {}, :", i)); // (T, n)
                NDArray a = input.get(new NDIndex(":, {}, :", i)); // (T, d)
                NDArray w = g.transpose().matMul(a);
                weight = weight == null ? w : weight.add(w);
                NDArray b = g.sum(new int[] {0});
                bias = bias == null ? b : bias.add(b);
            }
            squared[u] = weight.square().sum().getDouble() + (withBias ? bias.square().sum().getDouble() : 0);
        }
        return squared;
    }

    @Test
    void bothFormsOfALinearLayerGiveEachUnitsSquaredNorm() {
        try (NDManager m = engine.manager().newSubManager()) {
            NDArray gradient = random(m, 1, T, B, 4);
            NDArray input = random(m, 2, T, B, 3);
            for (long[] groups : new long[][] {null, GROUPS}) {
                ClippingUnits units = ClippingUnits.of(B, groups);
                NDArray grouped = GhostNorms.grouped(gradient, units);
                for (boolean withBias : new boolean[] {true, false}) {
                    double[] expected = reference(gradient, input, groups, units.count(), withBias);
                    assertThat(GhostNorms.ghost(grouped, units, withBias, input).toDoubleArray())
                            .containsExactly(expected, within(1e-9));
                    assertThat(GhostNorms.materialised(grouped, units, withBias, input).toDoubleArray())
                            .containsExactly(expected, within(1e-9));
                }
            }
        }
    }

    @Test
    void bothFormsAddTheWeightsFedByTwoInputs() {
        try (NDManager m = engine.manager().newSubManager()) {
            NDArray gradient = random(m, 3, T, B, 4);
            NDArray first = random(m, 4, T, B, 3);
            NDArray second = random(m, 5, T, B, 2);
            ClippingUnits units = ClippingUnits.of(B, GROUPS);
            double[] withFirst = reference(gradient, first, GROUPS, units.count(), true);
            double[] withSecond = reference(gradient, second, GROUPS, units.count(), false);
            double[] expected = new double[units.count()];
            for (int u = 0; u < expected.length; u++) {
                expected[u] = withFirst[u] + withSecond[u];
            }
            NDArray grouped = GhostNorms.grouped(gradient, units);
            assertThat(GhostNorms.ghost(grouped, units, true, first, second).toDoubleArray())
                    .containsExactly(expected, within(1e-9));
            assertThat(GhostNorms.materialised(grouped, units, true, first, second).toDoubleArray())
                    .containsExactly(expected, within(1e-9));
        }
    }

    @Test
    void theChoiceFollowsTheMultiplyAddsAndNeverHoldsMoreThanAGram() {
        // a character language model's LSTM: 4H = 128 outputs, E + H = 48 inputs, 200 positions
        assertThat(NormForm.materialiseLinear(200, 128, 48)).isTrue();
        // the bench's classifier: 32 positions through a 512 × 192 layer
        assertThat(NormForm.materialiseLinear(32, 512, 192)).isFalse();
        // cheaper but larger than a Gram: a 10,000-word output layer of width 256 over 300 positions
        assertThat(NormForm.materialiseLinear(300, 10_000, 256)).isFalse();
        // a 115-character table of width 16 over 200 positions; a 4,096-word one over 64
        assertThat(NormForm.materialiseTable(200, 115, 16)).isTrue();
        assertThat(NormForm.materialiseTable(64, 4096, 16)).isFalse();
    }

    @Test
    void theLayerTakesEitherFormAndGetsTheSameNorms() {
        try (NDManager m = engine.manager().newSubManager()) {
            ClippingUnits units = ClippingUnits.of(B, GROUPS);
            // 4 × 3 over a unit's 12 positions: materialised; 40 × 30: ghost
            for (int[] widths : new int[][] {{4, 3}, {40, 30}}) {
                NDArray gradient = random(m, 8, T, B, widths[0]);
                NDArray input = random(m, 9, T, B, widths[1]);
                assertThat(NormForm.materialiseLinear(2L * T, widths[0], widths[1])).isEqualTo(widths[0] == 4);
                assertThat(GhostNorms.linearLayer(gradient, units, input).toDoubleArray())
                        .containsExactly(reference(gradient, input, GROUPS, units.count(), true), within(1e-9));
            }
        }
    }

    @Test
    void bothFormsOfAnEmbeddingTableGiveEachUnitsSquaredNorm() {
        try (NDManager m = engine.manager().newSubManager()) {
            int width = 3;
            NDArray embeddingGradient = random(m, 6, T, B, width);
            Random random = new Random(7);
            for (int vocab : new int[] {4, 60}) { // materialised below 6·4/3 = 8 rows (12 per user unit), ghost above
                long[][] tokenIds = new long[T][B];
                for (long[] row : tokenIds) {
                    for (int i = 0; i < B; i++) {
                        row[i] = random.nextInt(Math.min(vocab, 5)); // repeats, so rows add up
                    }
                }
                NDArray tokens = m.create(tokenIds);
                for (long[] groups : new long[][] {null, GROUPS}) {
                    ClippingUnits units = ClippingUnits.of(B, groups);
                    double[] expected = new double[units.count()];
                    for (int u = 0; u < units.count(); u++) {
                        double[][] table = new double[vocab][width];
                        for (int t = 0; t < T; t++) {
                            for (int i = 0; i < B; i++) {
                                if ((groups == null ? i : groups[i]) == u) {
                                    for (int k = 0; k < width; k++) {
                                        table[(int) tokenIds[t][i]][k] += embeddingGradient.getDouble(t, i, k);
                                    }
                                }
                            }
                        }
                        for (double[] row : table) {
                            for (double v : row) {
                                expected[u] += v * v;
                            }
                        }
                    }
                    NDArray squared = m.zeros(new Shape(units.count()), DataType.FLOAT64);
                    FusedPerExampleGradients.addEmbeddingNorm(squared, embeddingGradient, tokens, units, vocab);
                    assertThat(squared.toDoubleArray()).as("vocab %d", vocab).containsExactly(expected, within(1e-9));
                }
            }
        }
    }
}
