package org.dplstm.training.dpsgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.dplstm.training.model.TestManager;
import org.dplstm.training.model.FrozenPart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WeightAverageTest {

    @RegisterExtension
    final TestManager engine = TestManager.perTest();

    /** The plain-Java reference: shadow ← d_t·shadow + (1 − d_t)·w with d_t = min(decay, (1+t)/(10+t)). */
    private static double[] reference(double decay, double start, double[] weights) {
        double shadow = start;
        double[] out = new double[weights.length];
        for (int t = 0; t < weights.length; t++) {
            double d = Math.min(decay, (1.0 + t) / (10.0 + t));
            shadow = d * shadow + (1 - d) * weights[t];
            out[t] = shadow;
        }
        return out;
    }

    @Test
    void averagesLikeThePlainReferenceAndRestoresTheTrainedWeights() {
        NDManager manager = engine.manager();
        NDArray w = manager.create(new float[] {1f, -2f});
        NDList parameters = new NDList(w);
        double[] path = {1.5, 0.5, 3.0, 2.0, 2.5, 1.0, 0.0, 4.0, 3.5, 2.0, 1.0, 5.0, -1.0, 2.0, 2.0};
        double[] expected = reference(0.9, 1.0, path);
        try (NDManager scope = manager.newSubManager();
                WeightAverage average = new WeightAverage(0.9, parameters, List.of("w"), FrozenPart.NONE, scope, 0)) {
            for (int t = 0; t < path.length; t++) {
                manager.create(new float[] {(float) path[t], (float) (-2 * path[t])}).copyTo(w);
                average.update(parameters);
                assertThat((double) average.state().get("ema/w").toFloatArray()[0])
                        .isCloseTo(expected[t], org.assertj.core.data.Offset.offset(1e-5));
            }
            float[] trained = w.toFloatArray();
            float[][] seen = new float[1][];
            average.withAveragedWeights(parameters, () -> seen[0] = w.toFloatArray());
            assertThat((double) seen[0][0]).isCloseTo(expected[path.length - 1], org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) seen[0][1]).isCloseTo(-2 * expected[path.length - 1], org.assertj.core.data.Offset.offset(1e-5));
            assertThat(w.toFloatArray()).containsExactly(trained);
            average.copyInto(parameters);
            assertThat(w.toFloatArray()).containsExactly(seen[0]);
        }
    }

    @Test
    void resumesFromTheCheckpointedAverageAndKeepsItOutOfTheOptimizerState() {
        NDManager manager = engine.manager();
        NDArray w = manager.create(new float[] {0f});
        Map<String, NDArray> checkpoint = Map.of("ema/w", manager.create(new float[] {7f}),
                "mean/w", manager.create(new float[] {0.5f}));
        assertThat(WeightAverage.optimizerPart(checkpoint)).containsOnlyKeys("mean/w");
        try (NDManager scope = manager.newSubManager();
                WeightAverage average = new WeightAverage(0.5, new NDList(w), List.of("w"), FrozenPart.NONE, scope, 100)) {
            average.restore(checkpoint);
            average.update(new NDList(w)); // after 100 updates the decay is the given 0.5
            assertThat(average.state().get("ema/w").toFloatArray()).containsExactly(3.5f);
        }
        assertThatThrownBy(() -> DpSgdConfig.builder().noPrivacy().optEmaDecay(1.0).build())
                .hasMessage("ema decay must be 0 (off) or in (0, 1), was 1.0");
    }
}
