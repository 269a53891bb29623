package org.dplstm.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.dplstm.training.recurrent.RecurrentCell;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The language model's loss against a plain-Java LSTM; its config rules; its model file. */
@Tag("engine")
class LstmLanguageModelTest {

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    private static ModelConfig.Builder tiny() {
        return ModelConfig.builder().task(ModelTask.LANGUAGE_MODEL).vocabSize(9).embeddingDim(3).hiddenSize(4)
                .optDataType(DataType.FLOAT64);
    }

    /** Tokens with junk after each length: padding must not change any result. */
    private static long[] tokensWithJunkPadding(int batch, int steps) {
        SplittableRandom random = new SplittableRandom(3);
        long[] tokens = new long[batch * steps];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 1 + random.nextInt(8);
        }
        return tokens;
    }

    private static Batch batch(NDManager scope, long[] tokens, long[] lengths, int steps) {
        return new Batch(scope.create(tokens, new Shape(lengths.length, steps)), scope.create(lengths),
                scope.zeros(new Shape(lengths.length), DataType.INT64), null);
    }

    @Test
    void lossMatchesPlainJavaLstmOnPaddedBatchUntiedAndTied() {
        long[] lengths = {5, 1, 3, 2};
        long[] tokens = tokensWithJunkPadding(lengths.length, 5);
        for (ModelConfig config : new ModelConfig[] {
            tiny().optLayers(2).build(), tiny().embeddingDim(4).optTiedEmbedding(true).build()
        }) {
            try (NDManager scope = engine.manager().newSubManager();
                    LstmLanguageModel model = LstmLanguageModel.create(config, scope, 5)) {
                Batch batch = batch(scope, tokens, lengths, 5);
                double expected = ReferenceLanguageModel.lossSum(model, tokens, lengths, 5);
                assertThat(model.lossSum(scope, batch).getDouble()).as(config.toString())
                        .isCloseTo(expected, within(1e-10 * Math.abs(expected)));
                assertThat(model.predictionCount(batch)).isEqualTo(4 + 0 + 2 + 1);
                assertThat(model.logits(scope, batch).getShape()).isEqualTo(new Shape(4, 5, 9));
            }
        }
    }

    @Test
    void tiedModelHasNoSeparateOutputWeight() {
        try (NDManager scope = engine.manager().newSubManager();
                LstmLanguageModel model = LstmLanguageModel.create(
                        tiny().embeddingDim(4).optTiedEmbedding(true).build(), scope, 5)) {
            assertThat(model.parameterNames()).containsExactly("embedding", "lstm.l0.fwd.w_ih", "lstm.l0.fwd.w_hh",
                    "lstm.l0.fwd.bias", "output.bias");
            assertThat(model.outputWeightIndex()).isEqualTo(-1);
            assertThat(model.outputWeight(model.parameters())).isSameAs(model.parameters().get(0));
        }
    }

    @Test
    void configRejectsWhatALanguageModelCannotBe() {
        assertThatThrownBy(() -> tiny().optTiedEmbedding(true).build())
                .hasMessage("tied embedding needs embedding dim = hidden size, was 3 and 4");
        assertThatThrownBy(() -> tiny().optBidirectional(true).build())
                .hasMessageContaining("bidirectional must be false for task lm");
        assertThatThrownBy(() -> tiny().numClasses(3).build())
                .hasMessageContaining("num classes must be 0 (unset) for task lm");
        assertThatThrownBy(() -> ModelConfig.builder().vocabSize(9).embeddingDim(4).hiddenSize(4).numClasses(2)
                .optTiedEmbedding(true).build())
                .hasMessage("tied embedding needs task lm or seq2seq, was classify");
        ModelConfig tied = tiny().embeddingDim(4).optTiedEmbedding(true).optLayers(2).build();
        assertThat(ModelConfig.fromMap(tied.toMap())).isEqualTo(tied);
        assertThat(tied.outputSize()).isEqualTo(9);
    }

    @Test
    void saveAndLoadGiveIdenticalLogitsAndTheClassifierLoaderRefusesIt(@TempDir Path dir) throws IOException {
        ModelConfig config = tiny().embeddingDim(4).optTiedEmbedding(true).build();
        Path file = dir.resolve("model.bin");
        long[] lengths = {5, 2};
        try (NDManager scope = engine.manager().newSubManager();
                LstmLanguageModel model = LstmLanguageModel.create(config, scope, 5)) {
            Batch batch = batch(scope, tokensWithJunkPadding(2, 5), lengths, 5);
            ModelFile.save(model, file);
            try (LstmLanguageModel loaded = ModelFile.loadLanguageModel(file, scope)) {
                assertThat(loaded.config()).isEqualTo(config);
                assertThat(loaded.logits(scope, batch).toDoubleArray())
                        .containsExactly(model.logits(scope, batch).toDoubleArray());
            }
            assertThatThrownBy(() -> ModelFile.load(file, scope))
                    .hasMessageContaining("holds a lm model, not a classifier");
        }
    }

    @Test
    void forwardResultsBelongToTheWorkScopeNotTheModelsManager() {
        // an op's result belongs to its first operand's manager: a lookup in the embedding table
        // once put every step's activations into the model's manager, which lives for the run
        ModelConfig config = tiny().embeddingDim(4).optTiedEmbedding(true).build();
        try (NDManager scope = engine.manager().newSubManager();
                LstmLanguageModel model = LstmLanguageModel.create(config, scope, 5);
                NDManager work = scope.newSubManager()) {
            Batch batch = batch(work, tokensWithJunkPadding(2, 5), new long[] {5, 2}, 5);
            ForwardTrace trace = model.forward(work, batch, model.parameters(), false, null,
                    (layer, direction, input, weights) -> RecurrentCell.LSTM.run(input, weights, false));
            for (ai.djl.ndarray.NDArray array : new ai.djl.ndarray.NDArray[] {
                trace.embedded(), trace.topOutputs(), trace.logits()}) {
                assertThat(array.getManager()).isSameAs(work);
            }
        }
    }
}
