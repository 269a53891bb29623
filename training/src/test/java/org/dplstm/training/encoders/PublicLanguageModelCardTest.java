package org.dplstm.training.encoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import ai.djl.ndarray.NDManager;
import org.dplstm.audit.verify.IntegrityException;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.TextModel;
import org.junit.jupiter.api.Test;

/**
 * The shipped language model reads ids by the character set it was trained with: its card pins the
 * set's tokens, so a change to the set (a new PII placeholder, say) fails here until the model is
 * retrained with tools/pretrain/train_lm.sh, instead of silently shifting every id.
 */
class PublicLanguageModelCardTest {

    @Test
    void theCardPinsTheCharacterSetLanguageModelsReadToday() throws Exception {
        JsonNode card;
        try (InputStream in = PublicEncoder.class.getResourceAsStream("/org/dplstm/encoders/latin-char-lm/encoder.json")) {
            card = new ObjectMapper().readTree(in);
        }
        List<String> tokens = new ArrayList<>();
        tokens.add(LanguageModelEncoder.BOUNDARY);
        tokens.addAll(LanguageModelEncoder.publicCharacters());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(String.join("\n", tokens).getBytes(StandardCharsets.UTF_8)));
        assertThat(sha).isEqualTo(card.get("vocabulary_sha256").asText());
        // ids: padding, unknown, then the boundary and the characters
        assertThat(LanguageModelEncoder.characters(200, true).vocabSize()).isEqualTo(card.get("vocab_size").asInt());

        PublicEncoder model = PublicEncoder.named("latin-char-lm");
        assertThat(model.task()).isEqualTo(ModelTask.LANGUAGE_MODEL);
        assertThat(PublicEncoder.named("multilingual-char").task()).isEqualTo(ModelTask.CLASSIFY);
    }

    @Test
    void aNoteSaysWhichSizesDoNotFit() {
        PublicEncoder model = PublicEncoder.named("latin-char-lm");
        assertThat(model.sizeMisfit(model.embeddingDim(), model.hiddenSize(), model.layers(), false)).isNull();
        assertThat(model.sizeMisfit(16, 8, 2, true)).isEqualTo("does not fit sizes embedding 16, hidden 8, 2 layer(s),"
                + " bidirectional (it has embedding 16, hidden 32, 1 layer(s), one direction)");
    }

    @Test
    void aLanguageModelGetsEveryShippedWeightItsOutputLayerIncluded() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                InputStream in = PublicEncoder.class.getResourceAsStream("/org/dplstm/encoders/latin-char-lm/model.bin");
                TextModel shipped = ModelFile.loadAny(in, "shipped", manager);
                LstmLanguageModel fresh = LstmLanguageModel.create(shipped.config(), manager, 7)) {
            assertThat(fresh.parameterNames()).contains("output.weight", "output.bias");
            PublicEncoder.named("latin-char-lm").initialise(fresh, manager);
            for (int i = 0; i < fresh.parameterNames().size(); i++) {
                String name = fresh.parameterNames().get(i);
                float[] expected = shipped.parameters().get(shipped.parameterNames().indexOf(name)).toFloatArray();
                assertThat(fresh.parameters().get(i).toFloatArray()).as(name).containsExactly(expected);
            }
        }
    }

    @Test
    void aRunWhoseCharacterSetDiffersFromTheCardsIsAnIntegrityFailure() {
        List<String> tokens = new ArrayList<>();
        tokens.add(LanguageModelEncoder.BOUNDARY);
        tokens.addAll(LanguageModelEncoder.publicCharacters());
        PublicEncoder model = PublicEncoder.named("latin-char-lm");
        model.checkVocabulary(tokens);
        java.util.Collections.swap(tokens, 1, 2); // same size, two ids exchanged
        assertThatThrownBy(() -> model.checkVocabulary(tokens)).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("public model latin-char-lm was trained on tokens with SHA-256 "
                        + model.vocabularySha256());
        // classifier encoders pin no token list: nothing to compare
        PublicEncoder.named("multilingual-char").checkVocabulary(List.of("x"));
    }
}
