package org.dplstm.training.languagemodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.session.ManagedModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The step-by-step generator against the model's full forward pass, and the sampler's rules. */
@Tag("engine")
class TextGeneratorTest {

    private static ModelConfig config(LanguageModelEncoder encoder, boolean tied) {
        return config(encoder, tied, CellKind.LSTM);
    }

    private static ModelConfig config(LanguageModelEncoder encoder, boolean tied, CellKind cell) {
        return ModelConfig.builder().task(ModelTask.LANGUAGE_MODEL).vocabSize(encoder.vocabSize())
                .embeddingDim(tied ? 6 : 5).hiddenSize(6).optLayers(2).optTiedEmbedding(tied).optCell(cell)
                .optDataType(DataType.FLOAT64).build();
    }

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void steppedLogitsEqualTheFullForwardAtEveryPosition(CellKind cell) {
        LanguageModelEncoder encoder = LanguageModelEncoder.characters(50, false);
        int[] ids = encoder.encode("a cat!");
        for (boolean tied : new boolean[] {false, true}) {
            try (NDManager manager = NDManager.newBaseManager();
                    LstmLanguageModel model = LstmLanguageModel.create(config(encoder, tied, cell), manager, 3)) {
                long[] tokens = java.util.Arrays.stream(ids).asLongStream().toArray();
                Batch batch = new Batch(manager.create(tokens, new Shape(1, ids.length)),
                        manager.create(new long[] {ids.length}), manager.zeros(new Shape(1), DataType.INT64), null);
                double[] full = model.logits(manager, batch).toDoubleArray();
                LstmStepper stepper = new LstmStepper(model, manager);
                int vocab = encoder.vocabSize();
                for (int t = 0; t < ids.length; t++) {
                    double[] stepped = stepper.step(ids[t]);
                    for (int v = 0; v < vocab; v++) {
                        assertThat(stepped[v]).isCloseTo(full[t * vocab + v], org.assertj.core.data.Offset.offset(1e-12));
                    }
                }
            }
        }
    }

    @Test
    void greedyGenerationFollowsTheMostProbableTokenAndSeedsRepeatSampling() {
        LanguageModelEncoder encoder = LanguageModelEncoder.characters(50, false);
        try (NDManager manager = NDManager.newBaseManager();
                LstmLanguageModel model = LstmLanguageModel.create(config(encoder, false), manager, 3);
                TextGenerator generator = new TextGenerator(ManagedModel.borrowing(manager, model), encoder)) {
            String greedy = generator.generate("ab", new GenerationOptions(6, 0, 0, OptionalLong.empty()));
            // the same chain by hand: argmax of the stepped logits after the prompt
            LstmStepper stepper = new LstmStepper(model, manager);
            double[] logits = null;
            for (int id : encoder.encodePrompt("ab")) {
                logits = stepper.step(id);
            }
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                int best = 2;
                for (int v = 3; v < logits.length; v++) {
                    best = logits[v] > logits[best] ? v : best;
                }
                if (best == encoder.boundaryId()) {
                    break;
                }
                expected.append(encoder.decode(new int[] {best}, true));
                logits = stepper.step(best);
            }
            assertThat(greedy).isEqualTo(expected.toString());
            GenerationOptions seeded = new GenerationOptions(30, 1.0, 0, OptionalLong.of(42));
            assertThat(generator.generate("ab", seeded)).isEqualTo(generator.generate("ab", seeded));
            assertThat(generator.generate("ab", new GenerationOptions(30, 1.0, 1, OptionalLong.of(7))))
                    .as("top-1 is greedy").isEqualTo(generator.generate("ab", new GenerationOptions(30, 0, 0,
                            OptionalLong.empty())));
        }
    }

    @Test
    void samplerNeverPicksPaddingAndKeepsToTheTopK() {
        double[] logits = {50, 0, 0, 1, 2, 3};
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[logits.length];
        for (int i = 0; i < 4000; i++) {
            counts[TextGenerator.sample(logits, new GenerationOptions(1, 1.0, 2, OptionalLong.empty()), random)]++;
        }
        assertThat(counts[0] + counts[1] + counts[2] + counts[3]).isZero();
        // top-2 of {2, 3} at temperature 1: P(5) = e³ / (e² + e³) = 0.731
        assertThat(counts[5] / 4000.0).isCloseTo(Math.E / (1 + Math.E), org.assertj.core.data.Offset.offset(0.03));
    }

    @Test
    void greedyPicksTheUnknownTokenWhenTheModelPredictsIt() {
        // a word-level model trained on text whose numbers are unknown tokens predicts them; barring
        // them would push the continuation off the path the model learned
        double[] logits = {50, 9, 0, 1, 2, 3};
        assertThat(TextGenerator.sample(logits, new GenerationOptions(1, 0, 0, OptionalLong.empty()),
                new SplittableRandom(1))).isEqualTo(1);
    }

    @Test
    void optionsRejectBadValues() {
        assertThatThrownBy(() -> new GenerationOptions(0, 1, 0, OptionalLong.empty()))
                .hasMessage("max tokens must be >= 1, was 0");
        assertThatThrownBy(() -> new GenerationOptions(5, -1, 0, OptionalLong.empty()))
                .hasMessage("temperature must be a finite number >= 0 (0 = greedy), was -1.0");
        assertThatThrownBy(() -> new GenerationOptions(5, Double.POSITIVE_INFINITY, 0, OptionalLong.empty()))
                .hasMessage("temperature must be a finite number >= 0 (0 = greedy), was Infinity");
        assertThatThrownBy(() -> new GenerationOptions(5, 1, -2, OptionalLong.empty()))
                .hasMessage("top k must be >= 0 (0 = no limit), was -2");
    }
}
