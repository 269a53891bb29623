package org.dplstm.training.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GradientCollectorsTest {

    @RegisterExtension
    static final TestManager ENGINE = TestManager.perClass();

    @Test
    void threadsTakeTurnsInsteadOfFailing() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Float>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                results.add(threads.submit(() -> {
                    float total = 0;
                    for (int i = 0; i < 50; i++) {
                        try (var scope = ENGINE.manager().newSubManager()) {
                            NDArray x = scope.create(new float[] {1, 2, 3});
                            x.setRequiresGradient(true);
                            try (GradientCollector collector = GradientCollectors.exclusive(scope)) {
                                Thread.sleep(1); // overlap the other thread's collector if it were not excluded
                                collector.backward(x.mul(x).sum());
                            }
                            total += x.getGradient().sum().getFloat();
                        }
                    }
                    return total;
                }));
            }
            for (Future<Float> result : results) {
                assertThat(result.get()).isEqualTo(50 * 12f); // d/dx Σx² = 2x, summed: 12
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
