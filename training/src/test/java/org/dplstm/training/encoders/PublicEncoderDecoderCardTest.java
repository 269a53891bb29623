package org.dplstm.training.encoders;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.seq2seq.PairEncoder;
import org.junit.jupiter.api.Test;

/**
 * The shipped encoder-decoder {@code en-de-char}: its card pins the character set both sides of a
 * character-level encoder-decoder read today and the sizes of the file it ships, and a new
 * encoder-decoder gets every one of its weights.
 */
class PublicEncoderDecoderCardTest {

    private static final String ROOT = "/org/dplstm/encoders/en-de-char/";

    @Test
    void theCardPinsTheCharacterSetAndTheShippedFilesSizes() throws Exception {
        JsonNode card;
        try (InputStream in = PublicEncoder.class.getResourceAsStream(ROOT + "encoder.json")) {
            card = new ObjectMapper().readTree(in);
        }
        List<String> tokens = new ArrayList<>();
        tokens.add(LanguageModelEncoder.BOUNDARY);
        tokens.addAll(PairEncoder.characters());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(String.join("\n", tokens).getBytes(StandardCharsets.UTF_8)));
        assertThat(card.get("vocabulary_sha256").asText()).isEqualTo(sha);
        assertThat(card.get("vocab_size").asInt()).isEqualTo(PairEncoder.characterSide(100, true).vocabSize());

        PublicEncoder model = PublicEncoder.named("en-de-char");
        assertThat(model.task()).isEqualTo(ModelTask.SEQ2SEQ);
        try (NDManager manager = NDManager.newBaseManager();
                InputStream in = PublicEncoder.class.getResourceAsStream(ROOT + "model.bin");
                TextModel shipped = ModelFile.loadAny(in, "shipped", manager)) {
            assertThat(shipped.config().task()).isEqualTo(ModelTask.SEQ2SEQ);
            assertThat(shipped.config().vocabSize()).isEqualTo(model.vocabSize());
            assertThat(shipped.config().targetVocabSize()).isEqualTo(model.targetVocabSize());
            assertThat(shipped.config().embeddingDim()).isEqualTo(model.embeddingDim());
            assertThat(shipped.config().hiddenSize()).isEqualTo(model.hiddenSize());
            assertThat(shipped.config().attention().id()).isEqualTo(model.attention());
            assertThat(model.misfit(shipped.config(), "char")).isNull();
        }
    }

    @Test
    void anEncoderDecoderGetsEveryShippedWeight() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                InputStream in = PublicEncoder.class.getResourceAsStream(ROOT + "model.bin");
                TextModel shipped = ModelFile.loadAny(in, "shipped", manager);
                LstmEncoderDecoder fresh = LstmEncoderDecoder.create(shipped.config(), manager, 7,
                        LstmEncoderDecoder.CHARACTER_SOURCE_EMBEDDING_INIT)) {
            assertThat(fresh.parameterNames()).contains("encoder.embedding", "output.weight");
            PublicEncoder.named("en-de-char").initialise(fresh, manager);
            for (int i = 0; i < fresh.parameterNames().size(); i++) {
                String name = fresh.parameterNames().get(i);
                float[] expected = shipped.parameters().get(shipped.parameterNames().indexOf(name)).toFloatArray();
                assertThat(fresh.parameters().get(i).toFloatArray()).as(name).containsExactly(expected);
            }
        }
    }
}
