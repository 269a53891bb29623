package org.dplstm.training.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Decoding emits what the model predicts, the unknown token included (docs/ARCHITECTURE.md). */
@Tag("engine")
class TranslatorTest {

    private static List<TextRecord> pairs(int count) {
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(TextRecord.of("pairs", i + 1, "ab" + i % 3, "cd" + i % 3, null));
        }
        return records;
    }

    @Test
    void greedyAndBeamSearchEmitTheUnknownTokenWhenTheModelPredictsIt() throws Exception {
        DpSgdConfig plan = DpSgdConfig.builder().noiseMultiplier(1.0).optDelta(1e-4).optEpochs(1)
                .optExpectedBatchSize(5).optSeed(1).build();
        try (Seq2SeqTrainer trainer = Seq2SeqTrainer.builder().config(plan).optEmbeddingDim(4).optHiddenSize(4)
                .optMaxLength(10).build()) {
            trainer.fit(pairs(30), pairs(5));
            Translator translator = trainer.translator();
            LstmEncoderDecoder model = translator.model();
            NDArray bias = model.parameters().get(model.outputBiasIndex());
            // the unknown token far ahead of every other next token, padding further still (never emitted)
            bias.set(new NDIndex(Vocabulary.UNKNOWN_ID), 100f);
            bias.set(new NDIndex(Vocabulary.PADDING_ID), 200f);
            String unknowns = "<unk>".repeat(3);
            assertThat(translator.translate("ab1", new TranslationOptions(3, 1))).isEqualTo(unknowns);
            assertThat(translator.translate("ab1", new TranslationOptions(3, 2))).isEqualTo(unknowns);
        }
    }
}
