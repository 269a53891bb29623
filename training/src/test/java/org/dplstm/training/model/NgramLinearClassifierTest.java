package org.dplstm.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.dplstm.data.vocab.CharNgramBag;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The n-gram classifier's bag against CharNgramBag (the independent reference), its config and its model file. */
@Tag("engine")
class NgramLinearClassifierTest {

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static final List<String> TEXTS = List.of("my card was charged twice", "", "Привет, мир!",
            "我的卡被扣了两次钱", "aaaa aaaa aaaa", "  x  ");

    /** The texts' bucket ids plus 2, right-padded with junk after each length (padding must count nowhere). */
    static Batch batchOf(NDManager scope, CharNgramBag bag, List<String> texts, long[] labels) {
        int[][] ids = texts.stream().map(t -> Arrays.stream(bag.buckets(t)).map(b -> b + 2).toArray())
                .toArray(int[][]::new);
        int width = Math.max(1, Arrays.stream(ids).mapToInt(a -> a.length).max().orElse(1)) + 2;
        long[] tokens = new long[texts.size() * width];
        long[] lengths = new long[texts.size()];
        for (int i = 0; i < ids.length; i++) {
            int[] row = ids[i].length == 0 ? new int[] {1} : ids[i]; // an empty text is one unknown id
            for (int t = 0; t < width; t++) {
                tokens[i * width + t] = t < row.length ? row[t] : 2 + (t % 5); // junk after the length
            }
            lengths[i] = row.length;
        }
        return new Batch(scope.create(tokens, new Shape(texts.size(), width)), scope.create(lengths),
                scope.create(labels), null);
    }

    static ModelConfig config(int buckets, int classes, DataType type) {
        return config(buckets, classes, type, false);
    }

    static ModelConfig config(int buckets, int classes, DataType type, boolean bias) {
        return ModelConfig.builder().optKind(ModelKind.NGRAM).vocabSize(buckets + 2).numClasses(classes)
                .optNgramBias(bias).optDataType(type).build();
    }

    @Test
    void theModelsBagOfEachTextIsCharNgramBagsVectorExactly() {
        CharNgramBag bag = CharNgramBag.builder().build();
        try (NDManager scope = engine.manager().newSubManager();
                NgramLinearClassifier model = NgramLinearClassifier.create(
                        config(bag.size(), 2, DataType.FLOAT32), scope, 1)) {
            Batch batch = batchOf(scope, bag, TEXTS, new long[TEXTS.size()]);
            float[] bags = model.bags(scope, batch).toFloatArray();
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] row = Arrays.copyOfRange(bags, i * bag.size(), (i + 1) * bag.size());
                assertThat(Arrays.equals(row, bag.vector(TEXTS.get(i)))).as("text %d '%s'", i, TEXTS.get(i)).isTrue();
            }
        }
    }

    @Test
    void logitsAreTheLinearLayerOverTheBag() {
        for (boolean bias : new boolean[] {false, true}) {
            logitsAreTheLinearLayerOverTheBag(bias);
        }
    }

    private void logitsAreTheLinearLayerOverTheBag(boolean bias) {
        CharNgramBag bag = CharNgramBag.builder().optBuckets(40).build();
        double[] b = bias ? new double[] {0.5, -0.25, 0} : new double[3];
        try (NDManager scope = engine.manager().newSubManager();
                NgramLinearClassifier model = NgramLinearClassifier.create(config(40, 3, DataType.FLOAT64, bias), scope,
                        1)) {
            assertThat(model.parameterNames()).isEqualTo(bias ? List.of("output.weight", "output.bias")
                    : List.of("output.weight"));
            double[] w = new double[3 * 40];
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.sin(i);
            }
            model.parameters().get(0).set(w);
            if (bias) {
                model.parameters().get(1).set(b);
            }
            double[] logits = model.logits(scope, batchOf(scope, bag, TEXTS, new long[TEXTS.size()])).toDoubleArray();
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] x = bag.vector(TEXTS.get(i));
                for (int k = 0; k < 3; k++) {
                    double expected = b[k];
                    for (int d = 0; d < 40; d++) {
                        expected += w[k * 40 + d] * x[d];
                    }
                    assertThat(logits[i * 3 + k]).isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6));
                }
            }
        }
    }

    @Test
    void aModelFileKeepsTheKindAndTheWeights(@TempDir Path dir) throws IOException {
        aModelFileKeepsTheKindAndTheWeights(dir.resolve("without"), false);
        aModelFileKeepsTheKindAndTheWeights(dir.resolve("with"), true);
    }

    private void aModelFileKeepsTheKindAndTheWeights(Path dir, boolean bias) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        CharNgramBag bag = CharNgramBag.builder().optBuckets(30).build();
        ModelConfig config = config(30, 2, DataType.FLOAT32, bias);
        try (NDManager scope = engine.manager().newSubManager();
                NgramLinearClassifier model = NgramLinearClassifier.create(config, scope, 1)) {
            model.parameters().get(0).set(ramp(60));
            if (bias) {
                model.parameters().get(1).set(new float[] {0.25f, -0.5f});
            }
            ModelFile.save(model, dir.resolve("model.bin"));
            // a model without a bias needs this build: an older one refuses its header
            byte[] header = Arrays.copyOf(java.nio.file.Files.readAllBytes(dir.resolve("model.bin")), 15);
            assertThat(new String(header, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo(bias ? "DPLSTM-MODEL-4\n" : "DPLSTM-MODEL-5\n");
            try (TextModel loaded = ModelFile.loadClassifier(dir.resolve("model.bin"), scope)) {
                assertThat(loaded).isInstanceOf(NgramLinearClassifier.class);
                assertThat(loaded.config()).isEqualTo(config);
                assertThat(loaded.config().toMap()).containsEntry("model", "ngram").doesNotContainKey("hidden_size");
                assertThatThrownBy(() -> ModelFile.load(dir.resolve("model.bin"), scope)).hasMessageEndingWith(
                        "holds an n-gram classifier, not a classifier with recurrent layers (loadClassifier reads either kind)");
                Batch batch = batchOf(scope, bag, TEXTS, new long[TEXTS.size()]);
                assertThat(loaded.logits(scope, batch).toFloatArray()).containsExactly(
                        model.logits(scope, batch).toFloatArray());
            }
        }
    }

    /** A file the build before the bias choice wrote: header 4, no "bias" key, two parameters. */
    @Test
    void anOlderNgramFileReadsWithItsBias(@TempDir Path dir) throws IOException {
        ModelConfig config = config(30, 2, DataType.FLOAT32, true);
        try (NDManager scope = engine.manager().newSubManager();
                NgramLinearClassifier model = NgramLinearClassifier.create(config, scope, 1)) {
            model.parameters().get(0).set(ramp(60));
            model.parameters().get(1).set(new float[] {0.25f, -0.5f});
            java.util.Map<String, Object> older = new java.util.LinkedHashMap<>(config.toMap());
            older.remove("bias");
            byte[] json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(older);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
            out.write(ModelFile.MAGIC_NGRAM);
            out.writeInt(json.length);
            out.write(json);
            out.write(model.parameters().encode());
            out.flush();
            java.nio.file.Files.write(dir.resolve("model.bin"), bytes.toByteArray());
            try (TextModel loaded = ModelFile.loadClassifier(dir.resolve("model.bin"), scope)) {
                assertThat(loaded.config().ngramBias()).isTrue();
                assertThat(loaded.parameterNames()).containsExactly("output.weight", "output.bias");
                Batch batch = batchOf(scope, CharNgramBag.builder().optBuckets(30).build(), TEXTS,
                        new long[TEXTS.size()]);
                assertThat(loaded.logits(scope, batch).toFloatArray()).containsExactly(
                        model.logits(scope, batch).toFloatArray());
            }
        }
    }

    @Test
    void theConfigRefusesWhatALinearLayerHasNot() {
        assertThatThrownBy(() -> ModelConfig.builder().optKind(ModelKind.NGRAM).task(ModelTask.LANGUAGE_MODEL)
                .vocabSize(10).build()).hasMessage("model ngram needs task classify, was lm");
        assertThatThrownBy(() -> ModelConfig.builder().optKind(ModelKind.NGRAM).vocabSize(10).numClasses(2)
                .optDropout(0.5).build()).hasMessageContaining("model ngram has no layer norm, dropout");
        assertThat(ModelConfig.fromMap(config(8, 4, DataType.FLOAT64).toMap()))
                .isEqualTo(config(8, 4, DataType.FLOAT64));
        assertThat(ModelConfig.fromMap(config(8, 4, DataType.FLOAT64, true).toMap()).ngramBias()).isTrue();
        assertThat(config(8, 4, DataType.FLOAT64).toMap()).containsEntry("bias", false);
        java.util.Map<String, Object> junk = new java.util.LinkedHashMap<>(config(8, 4, DataType.FLOAT64).toMap());
        junk.put("bias", "no");
        assertThatThrownBy(() -> ModelConfig.fromMap(junk)).hasMessage("model config field bias must be true or false, was no");
        assertThatThrownBy(() -> ModelConfig.builder().vocabSize(10).embeddingDim(4).hiddenSize(4).numClasses(2)
                .optNgramBias(true).build()).hasMessage("the n-gram bias choice needs model ngram, model was lstm");
        assertThat(config(8, 4, DataType.FLOAT32).featureSize()).isEqualTo(8);
    }

    /** -0.2, -0.19, -0.18 ... as floats. */
    private static float[] ramp(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = 0.01f * i - 0.2f;
        }
        return values;
    }
}
