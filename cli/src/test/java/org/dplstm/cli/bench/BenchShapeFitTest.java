package org.dplstm.cli.bench;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import org.dplstm.training.model.ModelTask;
import org.junit.jupiter.api.Test;

/** Each limit of {@link BenchShape#checkFits}, at sizes on both of its sides, with the machine given. */
class BenchShapeFitTest {

    private static final long PLENTY = Long.MAX_VALUE;

    private static BenchShape shape(int batch, int length, int hidden, ModelTask task) {
        return new BenchShape(batch, length, 8, hidden, 50, 2, DataType.FLOAT32, 1, 1, task);
    }

    @Test
    void theTokensOfOneSideMustFitOneArray() {
        // 2^16 x 2^15 = 2^31 tokens: more than an array holds
        assertThatThrownBy(() -> shape(1 << 16, 1 << 15, 8, ModelTask.CLASSIFY).checkFits(PLENTY, PLENTY))
                .hasMessageContaining("more than one array holds").hasMessageContaining("--batch 65536 x --length 32768");
        // an encoder-decoder's sources and targets are two arrays: 2^30 tokens a side fit
        assertThatCode(() -> shape(1 << 15, 1 << 15, 8, ModelTask.SEQ2SEQ).checkFits(PLENTY, PLENTY))
                .doesNotThrowAnyException();
    }

    @Test
    void theTokenIdsMustFitTheHeap() {
        // 1,000 x 100 ids: 4 bytes each plus 32 a row, 432 kB
        BenchShape shape = shape(1_000, 100, 8, ModelTask.CLASSIFY);
        assertThatThrownBy(() -> shape.checkFits(PLENTY, 400_000)).hasMessageContaining("of Java heap");
        assertThatCode(() -> shape.checkFits(PLENTY, 440_000)).doesNotThrowAnyException();
    }

    @Test
    void theBatchsActivationsAndGradientsMustFitTheMachine() {
        // 1,000 x 100 tokens x (4 gates x 8 hidden) x 4 bytes x 2 (values and gradients) = 25.6 MB
        BenchShape shape = shape(1_000, 100, 8, ModelTask.CLASSIFY);
        assertThatThrownBy(() -> shape.checkFits(25_000_000, PLENTY)).hasMessageContaining("activations");
        assertThatCode(() -> shape.checkFits(26_000_000, PLENTY)).doesNotThrowAnyException();
    }
}
