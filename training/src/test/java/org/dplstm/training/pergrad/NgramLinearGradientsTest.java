package org.dplstm.training.pergrad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelKind;
import org.dplstm.training.model.NgramLinearClassifier;
import org.dplstm.training.model.TestManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The n-gram classifier's closed-form clipped sums against a slow exact reference: one autograd
 * backward per example (the model's plain gradient of a batch of that example alone), a unit's
 * gradient their sum, clipped on the host.
 */
@Tag("engine")
class NgramLinearGradientsTest {

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static final int BUCKETS = 12;
    private static final int CLASSES = 3;
    private static final int EXAMPLES = 7;
    private static final int WIDTH = 6;

    @Test
    void perExampleClippedSumsAndNormsMatchOneBackwardPerExample() {
        for (boolean bias : new boolean[] {false, true}) {
            check(null, 0.5, bias);
            check(null, 100, bias); // nothing clipped: the plain gradient sum
        }
    }

    @Test
    void userLevelUnitsAreClippedByTheNormOfTheirSummedGradient() {
        for (boolean bias : new boolean[] {false, true}) {
            check(new long[] {4, 9, 4, 2, 9, 4, 7}, 0.5, bias);
            check(new long[] {1, 1, 1, 1, 1, 1, 1}, 0.3, bias);
        }
    }

    @Test
    void aFloat32UserWhoseGradientsCancelHasANormNearZeroNotBelow() {
        // zero weights give uniform p; the same text under each label in turn: the user's gradients sum to 0 exactly
        int copies = 2 * CLASSES * 50;
        long[] tokens = new long[copies * WIDTH];
        long[] lengths = new long[copies];
        long[] labels = new long[copies];
        long[] groups = new long[copies];
        for (int i = 0; i < copies; i++) {
            for (int t = 0; t < WIDTH; t++) {
                tokens[i * WIDTH + t] = 2 + (t * 5) % BUCKETS;
            }
            lengths[i] = WIDTH;
            labels[i] = i % CLASSES;
        }
        ModelConfig config = ModelConfig.builder().optKind(ModelKind.NGRAM).vocabSize(BUCKETS + 2)
                .numClasses(CLASSES).optDataType(DataType.FLOAT32).build();
        try (NDManager scope = engine.manager().newSubManager();
                NgramLinearClassifier model = NgramLinearClassifier.create(config, scope, 1)) {
            Batch batch = new Batch(scope.create(tokens, new Shape(copies, WIDTH)), scope.create(lengths),
                    scope.create(labels), null);
            ClippedGradients clipped = new NgramLinearGradients(model)
                    .clippedSum(scope, TextBatches.toExampleBatch(batch, groups), 1e-3);
            // each example alone has norm ‖p − y‖·‖x‖ ≈ 0.82: summed without cancellation that is 245
            float[] norms = clipped.norms().toFloatArray();
            assertThat(norms).hasSize(1);
            assertThat((double) norms[0]).isBetween(0.0, 1e-3);
            for (float v : clipped.sums().get(0).toFloatArray()) {
                assertThat((double) v).isCloseTo(0, within(1e-3));
            }
        }
    }

    private void check(long[] groups, double clip, boolean bias) {
        SplittableRandom random = new SplittableRandom(11);
        long[] tokens = new long[EXAMPLES * WIDTH];
        long[] lengths = new long[EXAMPLES];
        long[] labels = new long[EXAMPLES];
        for (int i = 0; i < EXAMPLES; i++) {
            lengths[i] = 1 + random.nextInt(WIDTH);
            labels[i] = random.nextInt(CLASSES);
            for (int t = 0; t < WIDTH; t++) {
                tokens[i * WIDTH + t] = random.nextInt(BUCKETS + 2); // padding and unknown ids too
            }
        }
        ModelConfig config = ModelConfig.builder().optKind(ModelKind.NGRAM).vocabSize(BUCKETS + 2)
                .numClasses(CLASSES).optNgramBias(bias).optDataType(DataType.FLOAT64).build();
        try (NDManager scope = engine.manager().newSubManager();
                NgramLinearClassifier model = NgramLinearClassifier.create(config, scope, 1)) {
            double[] weights = new double[CLASSES * BUCKETS];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = random.nextDouble(-2, 2);
            }
            model.parameters().get(0).set(weights);
            assertThat(model.parameters()).hasSize(bias ? 2 : 1);
            if (bias) {
                model.parameters().get(1).set(new double[] {0.3, -0.1, 0.2});
            }
            Batch batch = new Batch(scope.create(tokens, new Shape(EXAMPLES, WIDTH)), scope.create(lengths),
                    scope.create(labels), null);

            ClippedGradients fast = new NgramLinearGradients(model)
                    .clippedSum(scope, TextBatches.toExampleBatch(batch, groups), clip);

            // the reference: each example's own backward, summed per unit in order of first appearance
            Map<Long, double[]> units = new LinkedHashMap<>();
            for (int i = 0; i < EXAMPLES; i++) {
                Batch one = new Batch(scope.create(java.util.Arrays.copyOfRange(tokens, i * WIDTH, (i + 1) * WIDTH),
                        new Shape(1, WIDTH)), scope.create(new long[] {lengths[i]}), scope.create(new long[] {labels[i]}),
                        null);
                NDList gradient = model.gradientSum(scope, one);
                double[] flat = flatten(gradient);
                double[] sum = units.computeIfAbsent(groups == null ? i : groups[i], g -> new double[flat.length]);
                for (int j = 0; j < flat.length; j++) {
                    sum[j] += flat[j];
                }
            }
            double[] expected = new double[CLASSES * BUCKETS + (bias ? CLASSES : 0)];
            List<double[]> unitGradients = List.copyOf(units.values());
            double[] norms = fast.norms().toDoubleArray();
            assertThat(norms).hasSize(unitGradients.size());
            boolean someClipped = false;
            for (int u = 0; u < unitGradients.size(); u++) {
                double[] g = unitGradients.get(u);
                double norm = 0;
                for (double v : g) {
                    norm += v * v;
                }
                norm = Math.sqrt(norm);
                assertThat(norms[u]).as("norm of unit %d", u).isCloseTo(norm, within(1e-9));
                double factor = Math.min(1, clip / norm);
                someClipped |= factor < 1;
                for (int j = 0; j < g.length; j++) {
                    expected[j] += factor * g[j];
                }
            }
            assertThat(fast.sums()).hasSize(bias ? 2 : 1);
            double[] actual = flatten(fast.sums());
            assertThat(fast.sums().get(0).getShape()).isEqualTo(new Shape(CLASSES, BUCKETS));
            for (int j = 0; j < expected.length; j++) {
                assertThat(actual[j]).as("sum coordinate %d", j).isCloseTo(expected[j], within(1e-9));
            }
            assertThat(someClipped).as("clip %s clips some unit", clip).isEqualTo(clip < 1);
        }
    }

    private static double[] flatten(NDList arrays) {
        double[] all = new double[0];
        for (int i = 0; i < arrays.size(); i++) {
            double[] part = arrays.get(i).toDoubleArray();
            int start = all.length;
            all = java.util.Arrays.copyOf(all, start + part.length);
            System.arraycopy(part, 0, all, start, part.length);
        }
        return all;
    }
}
