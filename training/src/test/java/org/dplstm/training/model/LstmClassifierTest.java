package org.dplstm.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dplstm.training.recurrent.CellKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The model's definition against a plain-Java LSTM, its gradient against finite differences. */
@Tag("engine")
class LstmClassifierTest {

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static ModelConfig.Builder tiny() {
        return ModelConfig.builder().vocabSize(9).embeddingDim(3).hiddenSize(4).numClasses(3)
                .optDataType(DataType.FLOAT64);
    }

    /** Tokens with junk after each length: padding must not change any result. */
    private static Batch batchWithJunkPadding(NDManager scope, long[] lengths, int steps) {
        SplittableRandom random = new SplittableRandom(3);
        long[] tokens = new long[lengths.length * steps];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1 + random.nextInt(8);
        }
        long[] labels = new long[lengths.length];
        for (int b = 0; b < labels.length; b++) {
            labels[b] = random.nextInt(3);
        }
        return new Batch(scope.create(tokens, new Shape(lengths.length, steps)), scope.create(lengths),
                scope.create(labels), null);
    }

    @Test
    void logitsMatchPlainJavaLstmForStackedBidirectionalLayerNormModel() {
        assertLogitsMatchPlainJava(tiny().optLayers(2).optBidirectional(true).optLayerNorm(true).build());
    }

    @Test
    void logitsMatchPlainJavaLstmWithMeanPooling() {
        assertLogitsMatchPlainJava(tiny().optLayers(2).optBidirectional(true).optLayerNorm(true)
                .optPooling(Pooling.MEAN).build());
    }

    @Test
    void gruLogitsMatchPlainJavaGruForStackedBidirectionalLayerNormModel() {
        // the recurrent bias b_hn sits inside r ⊙ (W_hn h + b_hn): swapped biases would show here
        assertLogitsMatchPlainJava(tiny().optCell(CellKind.GRU).optLayers(2).optBidirectional(true)
                .optLayerNorm(true).build());
        assertLogitsMatchPlainJava(tiny().optCell(CellKind.GRU).optLayers(2).optBidirectional(true)
                .optLayerNorm(true).optPooling(Pooling.MEAN).build());
    }

    private static void assertLogitsMatchPlainJava(ModelConfig config) {
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 5)) {
            // a non-trivial LayerNorm so gamma and beta matter
            model.parameters().get(model.layerNormIndex()).addi(scope.randomUniform(-0.5f, 0.5f, new Shape(8))
                    .toType(DataType.FLOAT64, false));
            model.parameters().get(model.layerNormIndex() + 1).addi(0.3);
            long[] lengths = {5, 1, 3};
            Batch batch = batchWithJunkPadding(scope, lengths, 5);
            double[][] expected = ReferenceLstm.logits(model, batch.tokens().toLongArray(), lengths, 5);
            double[] actual = model.logits(scope, batch).toDoubleArray();
            for (int b = 0; b < lengths.length; b++) {
                for (int k = 0; k < 3; k++) {
                    assertThat(actual[b * 3 + k]).as("logit[%d][%d]", b, k)
                            .isCloseTo(expected[b][k], org.assertj.core.data.Offset.offset(1e-10));
                }
            }
        }
    }

    @Test
    void plainGradientMatchesFiniteDifferencesOfTheLoss() {
        ModelConfig config = tiny().optBidirectional(true).optLayerNorm(true).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 9)) {
            Batch batch = batchWithJunkPadding(scope, new long[] {4, 2, 1}, 4);
            NDList gradient = model.gradientSum(scope, batch);
            SplittableRandom random = new SplittableRandom(1);
            double step = 1e-6;
            for (int i = 0; i < model.parameters().size(); i++) {
                NDArray param = model.parameters().get(i);
                double[] grad = gradient.get(i).toDoubleArray();
                for (int probe = 0; probe < 3; probe++) {
                    int index = i == model.embeddingIndex() ? (1 + random.nextInt(8)) * 3 + 1 : random.nextInt((int) param.size());
                    double numeric = centralDifference(model, scope, batch, param, index, step);
                    assertThat(grad[index]).as("%s[%d]", model.parameterNames().get(i), index)
                            .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6 + 1e-5 * Math.abs(numeric)));
                }
            }
        }
    }

    private static double centralDifference(
            LstmClassifier model, NDManager scope, Batch batch, NDArray param, int index, double step) {
        double[] values = param.toDoubleArray();
        double original = values[index];
        values[index] = original + step;
        param.set(values);
        double up = model.lossSum(scope, batch).getDouble();
        values[index] = original - step;
        param.set(values);
        double down = model.lossSum(scope, batch).getDouble();
        values[index] = original;
        param.set(values);
        return (up - down) / (2 * step);
    }

    @Test
    void saveAndLoadGiveIdenticalLogits(@TempDir Path dir) throws IOException {
        assertSaveAndLoadGiveIdenticalLogits(dir, tiny().optLayers(2).optBidirectional(true).optLayerNorm(true)
                .optDropout(0.5).build(), ModelFile.MAGIC);
    }

    @Test
    void meanPoolingSurvivesSaveAndLoadUnderAHeaderOlderBuildsRefuse(@TempDir Path dir) throws IOException {
        assertSaveAndLoadGiveIdenticalLogits(dir, tiny().optBidirectional(true).optPooling(Pooling.MEAN).build(),
                ModelFile.MAGIC_POOLING);
    }

    @Test
    void gruModelSurvivesSaveAndLoadUnderAHeaderOlderBuildsRefuse(@TempDir Path dir) throws IOException {
        ModelConfig config = tiny().optCell(CellKind.GRU).optBidirectional(true).build();
        assertSaveAndLoadGiveIdenticalLogits(dir, config, ModelFile.MAGIC_CELL);
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 2)) {
            assertThat(model.parameterNames()).contains("gru.l0.fwd.w_ih", "gru.l0.fwd.w_hh", "gru.l0.fwd.b_ih",
                    "gru.l0.fwd.b_hh", "gru.l0.bwd.b_hh");
            assertThat(model.parameters().get(model.recurrentIndex(0, 0)).getShape())
                    .isEqualTo(new Shape(12, config.embeddingDim()));
        }
    }

    private static void assertSaveAndLoadGiveIdenticalLogits(Path dir, ModelConfig config, byte[] header)
            throws IOException {
        Path file = dir.resolve("model.bin");
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 5)) {
            Batch batch = batchWithJunkPadding(scope, new long[] {5, 2}, 5);
            ModelFile.save(model, file);
            try (LstmClassifier loaded = ModelFile.load(file, scope)) {
                assertThat(loaded.config()).isEqualTo(config);
                assertThat(loaded.parameterNames()).isEqualTo(model.parameterNames());
                assertThat(loaded.logits(scope, batch).toDoubleArray())
                        .containsExactly(model.logits(scope, batch).toDoubleArray());
            }
        }
        assertThat(Files.list(dir)).containsExactly(file);
        assertThat(java.util.Arrays.copyOf(Files.readAllBytes(file), header.length)).isEqualTo(header);
    }

    @Test
    void loadNamesATruncatedFileAsSuch(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.bin");
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(tiny().build(), scope, 5)) {
            ModelFile.save(model, file);
        }
        byte[] whole = Files.readAllBytes(file);
        for (int keep : new int[] {10, 200, whole.length - 7}) {
            Files.write(file, java.util.Arrays.copyOf(whole, keep));
            assertThatThrownBy(() -> ModelFile.load(file, engine.manager()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("model file " + file)
                    .hasMessageContaining("truncated or corrupt");
        }
    }

    @Test
    void loadRejectsAFileThatIsNotAModel(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello");
        assertThatThrownBy(() -> ModelFile.load(file, engine.manager()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a dplstm model");
    }

    @Test
    void sameSeedGivesSameWeightsAndOtherSeedDiffers() {
        ModelConfig config = tiny().build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier a = LstmClassifier.create(config, scope, 1);
                LstmClassifier b = LstmClassifier.create(config, scope, 1);
                LstmClassifier c = LstmClassifier.create(config, scope, 2)) {
            assertThat(a.parameters().get(1).toDoubleArray()).containsExactly(b.parameters().get(1).toDoubleArray());
            assertThat(a.parameters().get(1).toDoubleArray()).isNotEqualTo(c.parameters().get(1).toDoubleArray());
        }
    }

    @Test
    void rejectsLengthsOutsideThePaddedLengthAndUnknownTokens() {
        ModelConfig config = tiny().build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmClassifier model = LstmClassifier.create(config, scope, 1)) {
            Batch tooLong = batchWithJunkPadding(scope, new long[] {6}, 5);
            assertThatThrownBy(() -> model.logits(scope, tooLong))
                    .hasMessage("length of example 0 must be in [1, 5], was 6");
            Batch badToken = new Batch(scope.create(new long[] {1, 9}, new Shape(1, 2)), scope.create(new long[] {2}),
                    scope.create(new long[] {0}), null);
            assertThatThrownBy(() -> model.logits(scope, badToken))
                    .hasMessage("token ids must be in [0, 8], were in [1, 9]");
        }
    }
}
