package org.dplstm.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The encoder-decoder's forward pass against a plain-Java reference, padding, and its model file. */
@Tag("engine")
class LstmEncoderDecoderTest {

    @RegisterExtension
    static final TestManager engine = TestManager.perClass();

    @TempDir Path dir;

    private static final List<int[]> SOURCES = List.of(new int[] {3, 1, 4, 1, 5}, new int[] {2}, new int[] {6, 5, 3});
    private static final List<int[]> TARGETS = List.of(new int[] {1, 2, 3}, new int[] {4, 4, 1, 7, 2, 2}, new int[] {5});

    private static ModelConfig.Builder tiny() {
        return ModelConfig.builder().task(ModelTask.SEQ2SEQ).vocabSize(9).optTargetVocabSize(8)
                .embeddingDim(3).hiddenSize(4).optDataType(DataType.FLOAT64);
    }

    /** The reply demo's shape: word level (600 tokens), E = 32, H = 64, bidirectional encoder. */
    private static ModelConfig replyDemoShape() {
        return ModelConfig.builder().task(ModelTask.SEQ2SEQ).vocabSize(600).optTargetVocabSize(600)
                .embeddingDim(32).hiddenSize(64).optBidirectional(true).build();
    }

    private static void assertLossMatchesReference(ModelConfig config) {
        try (NDManager scope = engine.manager().newSubManager();
                LstmEncoderDecoder model = LstmEncoderDecoder.create(config, scope, 5,
                        LstmEncoderDecoder.WORD_SOURCE_EMBEDDING_INIT)) {
            ReferenceEncoderDecoder reference = new ReferenceEncoderDecoder(model);
            double expected = 0;
            for (int i = 0; i < SOURCES.size(); i++) {
                expected += reference.loss(SOURCES.get(i), TARGETS.get(i));
                // each pair alone, unpadded, gives its own loss
                double alone = model.lossSum(scope, PairBatch.pack(scope, List.of(SOURCES.get(i)), List.of(TARGETS.get(i))))
                        .getDouble();
                assertThat(alone).isCloseTo(reference.loss(SOURCES.get(i), TARGETS.get(i)), Offset.offset(1e-10));
            }
            // padded together (sources and targets of different lengths) the losses add up exactly
            double batched = model.lossSum(scope, PairBatch.pack(scope, SOURCES, TARGETS)).getDouble();
            assertThat(batched).isCloseTo(expected, Offset.offset(1e-10));
            assertThat(model.predictionCount(PairBatch.pack(scope, SOURCES, TARGETS))).isEqualTo(2 + 5 + 0);
        }
    }

    /**
     * At initialization the decoder's starting state already tells sources apart: the reply demo's
     * shape, two tickets that differ in one word: a mean 0.049 apart with the ±3 source embedding,
     * 0.026 at ±1 and 0.003 with a classifier's ±0.1, with which DP reply models often never
     * learned to read the ticket (docs/ARCHITECTURE.md §3.10).
     */
    @Test
    void initialDecoderStateDependsOnTheSourceFromTheStart() {
        ModelConfig config = replyDemoShape();
        try (NDManager scope = engine.manager().newSubManager();
                LstmEncoderDecoder model = LstmEncoderDecoder.create(config, scope, 3,
                        LstmEncoderDecoder.WORD_SOURCE_EMBEDDING_INIT)) {
            long[] tokens = {2, 40, 41, 42, 43, 44, 2, 2, 40, 41, 99, 43, 44, 2};
            Batch sources = new Batch(scope.create(tokens, new ai.djl.ndarray.types.Shape(2, 7)),
                    scope.create(new long[] {7, 7}), scope.zeros(new ai.djl.ndarray.types.Shape(2), DataType.INT64), null);
            ai.djl.ndarray.NDArray start = model.encode(scope, sources).initialHidden(0);
            double meanDifference = start.get(0).sub(start.get(1)).abs().mean().getFloat();
            assertThat(meanDifference).isGreaterThan(0.01);
        }
    }

    /**
     * The encoder's first pre-activations W_ih x over the source vocabulary start at the scale the
     * closed form gives for a ±a embedding and ±1/√H weights, a·√E / (3·√H): about 0.71 at the
     * reply demo's shape (docs/ARCHITECTURE.md §3.10). At ±1 they were 0.24, and one reply run in
     * five never learned to read the ticket.
     */
    @Test
    void sourcePreActivationsStartAtTheClosedFormScale() {
        // a word-level source's ±3, then a character-level source's ±1
        double wordClosedForm = 3.0 * Math.sqrt(32) / (3 * Math.sqrt(64));
        assertThat(encoderPreActivationRms(LstmEncoderDecoder.WORD_SOURCE_EMBEDDING_INIT))
                .isCloseTo(wordClosedForm, Offset.offset(0.05 * wordClosedForm));
        double characterClosedForm = 1.0 * Math.sqrt(32) / (3 * Math.sqrt(64));
        assertThat(encoderPreActivationRms(LstmEncoderDecoder.CHARACTER_SOURCE_EMBEDDING_INIT))
                .isCloseTo(characterClosedForm, Offset.offset(0.05 * characterClosedForm));
    }

    /** RMS of W_ih x over the source vocabulary at initialization, the source embedding in ±{@code sourceEmbeddingInit}. */
    private static double encoderPreActivationRms(double sourceEmbeddingInit) {
        ModelConfig config = replyDemoShape();
        try (NDManager scope = engine.manager().newSubManager();
                LstmEncoderDecoder model = LstmEncoderDecoder.create(config, scope, 3, sourceEmbeddingInit)) {
            ai.djl.ndarray.NDArray embedding = model.parameters().get(model.sourceEmbeddingIndex());
            ai.djl.ndarray.NDArray inputWeight = model.parameters().get(model.encoderLstmIndex(0, 0));
            return Math.sqrt(embedding.matMul(inputWeight.transpose()).square().mean().getFloat());
        }
    }

    @Test
    void lossMatchesPlainJavaReferenceWithGeneralAttention() {
        assertLossMatchesReference(tiny().build());
    }

    @Test
    void lossMatchesPlainJavaReferenceWithDotAttentionBidirectionalStackedEncoderAndTiedOutput() {
        assertLossMatchesReference(tiny().embeddingDim(8).optBidirectional(true).optLayers(2)
                .optAttention(AttentionScore.DOT).optTiedEmbedding(true).build());
    }

    @Test
    void modelFileRoundTripsAnEncoderDecoderAndRefusesItAsAnotherKind() throws Exception {
        ModelConfig config = tiny().optBidirectional(true).build();
        Path file = dir.resolve("model.bin");
        try (NDManager scope = engine.manager().newSubManager();
                LstmEncoderDecoder model = LstmEncoderDecoder.create(config, scope, 5,
                        LstmEncoderDecoder.WORD_SOURCE_EMBEDDING_INIT)) {
            ModelFile.save(model, file);
            try (LstmEncoderDecoder loaded = ModelFile.loadEncoderDecoder(file, scope)) {
                assertThat(loaded.config()).isEqualTo(config);
                assertThat(loaded.lossSum(scope, PairBatch.pack(scope, SOURCES, TARGETS)).getDouble())
                        .isEqualTo(model.lossSum(scope, PairBatch.pack(scope, SOURCES, TARGETS)).getDouble());
            }
            assertThatThrownBy(() -> ModelFile.load(file, scope)).hasMessageContaining("not a classifier");
        }
    }

    @Test
    void configNeedsATargetVocabularyAndATiedEmbeddingOfTheDecodersSize() {
        assertThatThrownBy(() -> ModelConfig.builder().task(ModelTask.SEQ2SEQ).vocabSize(9).embeddingDim(3)
                .hiddenSize(4).build()).hasMessage("target vocab size must be >= 2, was 0");
        assertThatThrownBy(() -> tiny().optBidirectional(true).embeddingDim(4).optTiedEmbedding(true).build())
                .hasMessage("tied embedding needs embedding dim = the decoder's hidden size 8 (hidden size x"
                        + " directions), was 4");
        assertThatThrownBy(() -> ModelConfig.builder().task(ModelTask.LANGUAGE_MODEL).vocabSize(9).embeddingDim(3)
                .hiddenSize(4).optTargetVocabSize(5).build())
                .hasMessage("target vocab size must be 0 (unset) for task lm, was 5");
    }
}
