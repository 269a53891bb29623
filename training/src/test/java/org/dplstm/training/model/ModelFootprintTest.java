package org.dplstm.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelFootprintTest {

    private static ModelConfig.Builder classifier(int hidden) {
        return ModelConfig.builder().vocabSize(5000).embeddingDim(100).hiddenSize(hidden).numClasses(2);
    }

    @Test
    void parameterCountAddsEveryShape() {
        ModelConfig config = classifier(1000).build();
        // embedding V*E, W_ih 4H*E, W_hh 4H*H, bias 4H, output 2*H and 2.
        long expected = 5000L * 100 + 4000L * 100 + 4000L * 1000 + 4000 + 2L * 1000 + 2;
        assertThat(ModelFootprint.parameterCount(config)).isEqualTo((double) expected);
    }

    @Test
    void aParameterLargerThanOneArrayIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> classifier(100_000).build())
                .hasMessageContaining("lstm.l0.fwd.w_hh").hasMessageContaining("(400000, 100000)")
                .hasMessageContaining("reduce --hidden");
        assertThatThrownBy(() -> ModelConfig.builder().vocabSize(50_000_000).embeddingDim(64).hiddenSize(8)
                .numClasses(2).build()).hasMessageContaining("reduce --vocab-size or --embedding");
    }

    @Test
    void weightsWithGradientsAndOneMicroBatchMustFitTheMachine() {
        ModelConfig config = classifier(1000).build();
        // 2 x 4.9e6 float parameters = 39 MB; 128 texts x 64 tokens x 4H gate values x 2 x 4 bytes = 262 MB.
        assertThatCode(() -> ModelFootprint.checkFits(config, 128, 64, 1L << 30, 1L << 30)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ModelFootprint.checkFits(config, 128, 64, 200_000_000L, 1L << 30))
                .hasMessageContaining("more than this machine's 200 MB").hasMessageContaining("--micro-batch");
        assertThatCode(() -> ModelFootprint.checkFits(config, 16, 64, 200_000_000L, 1L << 30))
                .doesNotThrowAnyException();
        // The largest parameter's initial weights are drawn as doubles on the Java heap: 4e6 x 8 bytes.
        assertThatThrownBy(() -> ModelFootprint.checkFits(config, 1, 1, 1L << 30, 30_000_000L))
                .hasMessageContaining("lstm.l0.fwd.w_hh's initial weights need 32 MB of Java heap, more than the 30 MB")
                .hasMessageContaining("DPLSTM_JAVA_OPTS=-Xmx");
    }
}
