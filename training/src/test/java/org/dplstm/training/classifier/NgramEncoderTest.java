package org.dplstm.training.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.dplstm.data.vocab.CharNgramBag;
import org.dplstm.data.vocab.HashingVocabulary;
import org.dplstm.data.vocab.Vocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token level ngram: a text's first max-length n-gram buckets (plus 2), the same after the encoder is saved and read back. */
class NgramEncoderTest {

    private static final List<String> LABELS = List.of("access", "billing");

    @Test
    void tokensAreTheFirstMaxLengthBucketsPlusTwoAndSurviveSaveAndLoad(@TempDir Path dir) throws IOException {
        TextEncoder encoder = new TextEncoder(ClassifierTokenLevel.NGRAM, new HashingVocabulary(64), null, LABELS, 5,
                false);
        CharNgramBag bag = CharNgramBag.builder().optBuckets(64).build();
        String text = "refund my invoice";
        int[] expected = Arrays.stream(Arrays.copyOf(bag.buckets(text), 5)).map(b -> b + 2).toArray();
        assertThat(encoder.encode(text)).containsExactly(expected);
        assertThat(encoder.encode("")).containsExactly(Vocabulary.UNKNOWN_ID);
        assertThat(encoder.vocabularySize()).isEqualTo(66);

        encoder.save(dir);
        TextEncoder loaded = TextEncoder.load(dir);
        assertThat(loaded.tokenLevel()).isEqualTo(ClassifierTokenLevel.NGRAM);
        assertThat(loaded.maxLength()).isEqualTo(5);
        assertThat(loaded.encode(text)).containsExactly(expected);
        assertThat(loaded.tokenizerId()).isEqualTo("char-ngram-2-4");
    }

    @Test
    void theCommandLineLevelsDoNotIncludeNgramButFilesDo() {
        assertThat(ClassifierTokenLevel.ofId("ngram")).isEqualTo(ClassifierTokenLevel.NGRAM);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClassifierTokenLevel.parse("ngram"))
                .hasMessage("token level must be one of [char, word, subword], was ngram");
    }
}
