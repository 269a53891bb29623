package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.dplstm.training.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * run.json and model_config.json are stored formats: {@code train --resume} rebuilds a run from
 * run.json and every model file carries its model_config. The fixtures under org/dplstm/compat
 * were written by {@code ./dplstm train} before the settings became records (a classifier with
 * every DP option, a warm start with a frozen embedding, a bidirectional two-layer GRU with mean
 * pooling and no privacy, a tied character language model), and one after (run5: a character
 * language model from the shipped public start, {@code public_encoder}); each reads and writes back
 * as the same text, byte for byte.
 */
class RunSettingsCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"run1.json", "run2.json", "run3.json", "run4.json", "run5.json"})
    @SuppressWarnings("unchecked")
    void runJsonReadsAndWritesBackTheSameText(String name) throws IOException {
        String stored = fixture(name);
        TrainingJob.Settings settings = TrainingJob.Settings.fromMap(JSON.readValue(stored, Map.class));
        assertThat(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settings.toMap())).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model_config1.json", "model_config2.json", "model_config3.json", "model_config4.json"})
    @SuppressWarnings("unchecked")
    void modelConfigReadsAndWritesBackTheSameText(String name) throws IOException {
        String stored = fixture(name);
        ModelConfig config = ModelConfig.fromMap(JSON.readValue(stored, Map.class));
        assertThat(JSON.writeValueAsString(config.toMap())).isEqualTo(stored);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGruRunsShapeReachesItsModelConfig() throws IOException {
        // --cell gru --bidirectional --pooling mean --layers 2 --embedding 8 --hidden 12 --max-length 20
        ModelConfig config = ModelConfig.fromMap(JSON.readValue(fixture("model_config3.json"), Map.class));
        TrainingJob.Settings settings = TrainingJob.Settings.fromMap(JSON.readValue(fixture("run3.json"), Map.class));
        assertThat(config.cell()).isEqualTo(org.dplstm.training.recurrent.CellKind.GRU);
        assertThat(config.embeddingDim()).isEqualTo(8);
        assertThat(config.hiddenSize()).isEqualTo(12);
        assertThat(config.layers()).isEqualTo(2);
        assertThat(config.bidirectional()).isTrue();
        assertThat(config.pooling()).isEqualTo(org.dplstm.training.model.Pooling.MEAN);
        assertThat(settings.toMap()).containsEntry("cell", "gru").containsEntry("embedding", 8)
                .containsEntry("hidden", 12).containsEntry("layers", 2).containsEntry("bidirectional", true)
                .containsEntry("pooling", "mean").containsEntry("max_length", 20);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = RunSettingsCompatibilityTest.class.getResourceAsStream("/org/dplstm/compat/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
