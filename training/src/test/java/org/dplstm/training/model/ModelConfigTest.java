package org.dplstm.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

    private static ModelConfig.Builder valid() {
        return ModelConfig.builder().vocabSize(100).embeddingDim(8).hiddenSize(16).numClasses(3);
    }

    @Test
    void defaultsAreOneForwardLayerFloat32WithoutDropout() {
        ModelConfig config = valid().build();
        assertThat(config.layers()).isEqualTo(1);
        assertThat(config.bidirectional()).isFalse();
        assertThat(config.layerNorm()).isFalse();
        assertThat(config.pooling()).isEqualTo(Pooling.LAST);
        assertThat(config.dropout()).isZero();
        assertThat(config.dataType()).isEqualTo(DataType.FLOAT32);
        assertThat(config.task()).isEqualTo(ModelTask.CLASSIFY);
    }

    @Test
    void featureAndInputSizesFollowDirections() {
        ModelConfig config = valid().optBidirectional(true).optLayers(3).build();
        assertThat(config.featureSize()).isEqualTo(32);
        assertThat(config.inputSize(0)).isEqualTo(8);
        assertThat(config.inputSize(2)).isEqualTo(32);
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheParameter() {
        assertThatThrownBy(() -> valid().optDropout(1.0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dropout must be in [0, 1), was 1.0");
        assertThatThrownBy(() -> valid().optLayers(0).build())
                .hasMessage("layers must be >= 1, was 0");
        assertThatThrownBy(() -> valid().numClasses(1).build())
                .hasMessage("num classes must be >= 2, was 1");
        assertThatThrownBy(() -> valid().hiddenSize(0).build())
                .hasMessage("hidden size must be >= 1, was 0");
        assertThatThrownBy(() -> valid().optDataType(DataType.INT32).build())
                .hasMessageStartingWith("data type must be one of [float32, float64], was");
    }

    @Test
    void mapRoundTripGivesAnEqualConfig() {
        ModelConfig config = valid().optLayers(2).optBidirectional(true).optLayerNorm(true)
                .optPooling(Pooling.MEAN).optDropout(0.25).optDataType(DataType.FLOAT64).build();
        assertThat(ModelConfig.fromMap(config.toMap())).isEqualTo(config);
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(config.toMap()).containsEntry("pooling", "mean");
    }

    @Test
    void modelFilesWrittenBeforePoolingReadTheLastState() {
        java.util.Map<String, Object> older = new java.util.LinkedHashMap<>(valid().build().toMap());
        older.remove("pooling");
        assertThat(ModelConfig.fromMap(older).pooling()).isEqualTo(Pooling.LAST);
    }

    @Test
    void modelFilesWrittenBeforeTheCellChoiceAreLstmsAndGruRoundTrips() {
        java.util.Map<String, Object> older = new java.util.LinkedHashMap<>(valid().build().toMap());
        assertThat(older).containsEntry("cell", "lstm");
        older.remove("cell");
        assertThat(ModelConfig.fromMap(older).cell()).isEqualTo(org.dplstm.training.recurrent.CellKind.LSTM);
        ModelConfig gru = valid().optCell(org.dplstm.training.recurrent.CellKind.GRU).build();
        assertThat(gru.toMap()).containsEntry("cell", "gru");
        assertThat(ModelConfig.fromMap(gru.toMap())).isEqualTo(gru);
        assertThat(gru).isNotEqualTo(valid().build());
    }

    @Test
    void poolingIsForClassifiersAndParsesByName() {
        assertThatThrownBy(() -> ModelConfig.builder().task(ModelTask.LANGUAGE_MODEL).vocabSize(10).embeddingDim(4)
                .hiddenSize(4).optPooling(Pooling.MEAN).build())
                .hasMessage("pooling must be last for task lm (it predicts at every position), was mean");
        assertThat(Pooling.parse("Mean")).isEqualTo(Pooling.MEAN);
        assertThatThrownBy(() -> Pooling.parse("max")).hasMessage("pooling must be one of [last, mean], was max");
    }
}
