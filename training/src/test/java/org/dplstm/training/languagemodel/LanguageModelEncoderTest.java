package org.dplstm.training.languagemodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageModelEncoderTest {

    @Test
    void characterTextIsWrappedInBoundariesAndDecodesBack() {
        LanguageModelEncoder encoder = LanguageModelEncoder.characters(50, true);
        int[] ids = encoder.encode("Hi, you!");
        assertThat(ids).hasSize(8 + 2);
        assertThat(ids[0]).isEqualTo(encoder.boundaryId());
        assertThat(ids[ids.length - 1]).isEqualTo(encoder.boundaryId());
        assertThat(encoder.decode(java.util.Arrays.copyOfRange(ids, 1, ids.length - 1), false)).isEqualTo("Hi, you!");
        assertThat(encoder.vocabulary().id("H")).isNotEqualTo(encoder.vocabulary().id("h"));
    }

    @Test
    void truncatedTextHasNoClosingBoundary() {
        LanguageModelEncoder encoder = LanguageModelEncoder.characters(4, true);
        int[] ids = encoder.encode("abcdefgh");
        assertThat(ids).hasSize(1 + 4);
        assertThat(encoder.decode(ids, false)).isEqualTo("abcd");
        assertThat(encoder.encode("abcd")).hasSize(1 + 4 + 1);
    }

    @Test
    void piiBecomesOnePlaceholderTokenAndUnknownCharactersTheUnknownId() {
        LanguageModelEncoder encoder = LanguageModelEncoder.characters(100, true);
        int[] ids = encoder.encode("mail jane.doe@example.com \u4E2D");
        int email = encoder.vocabulary().id("[EMAIL]");
        assertThat(email).isGreaterThan(2);
        assertThat(ids).contains(email).contains(Vocabulary.UNKNOWN_ID);
        assertThat(encoder.decode(ids, false)).isEqualTo("mail [EMAIL] <unk>");
    }

    @Test
    void wordsAreLowerCasedAndJoinedWithoutSpacesBeforePunctuation() {
        LanguageModelEncoder encoder = LanguageModelEncoder.words(List.of("the", "cat", ",", "sat", ".", "("), 20, true);
        int[] ids = encoder.encode("The cat, sat (sat).");
        assertThat(encoder.decode(java.util.Arrays.copyOfRange(ids, 1, ids.length - 1), false))
                .isEqualTo("the cat, sat (sat <unk>.");
        assertThat(encoder.decode(encoder.vocabulary().ids(List.of("sat", ".")), true)).isEqualTo(" sat.");
    }

    @Test
    void recordsBecomeOneUnlabelledSequenceEachAndUsersAreRequiredAtUserLevel() {
        LanguageModelEncoder encoder = LanguageModelEncoder.characters(10, false);
        List<TextRecord> records = List.of(TextRecord.of("f", 1, "ab", null, "u1"), TextRecord.of("f", 2, "c", null, "u1"),
                TextRecord.of("f", 3, "d", null, null));
        EncodedDataset plain = encoder.encode(records, false);
        assertThat(plain.size()).isEqualTo(3);
        assertThat(plain.numClasses()).isEqualTo(1);
        assertThatThrownBy(() -> encoder.encode(records, true)).hasMessage("f:3: user must be given at user level");
        EncodedDataset users = encoder.encode(records.subList(0, 2), true);
        assertThat(users.userCount()).isEqualTo(1);
    }

    @Test
    void saveAndLoadKeepTheEncoding(@TempDir Path dir) throws IOException {
        LanguageModelEncoder words = LanguageModelEncoder.words(List.of("a", "b"), 7, false);
        words.save(dir);
        LanguageModelEncoder loaded = LanguageModelEncoder.load(dir);
        assertThat(loaded.level()).isEqualTo(TokenLevel.WORD);
        assertThat(loaded.maxLength()).isEqualTo(7);
        assertThat(loaded.encode("b a c")).containsExactly(words.encode("b a c"));
    }
}
