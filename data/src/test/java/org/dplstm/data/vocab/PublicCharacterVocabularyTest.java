package org.dplstm.data.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dplstm.data.tokenize.CharTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicCharacterVocabularyTest {
    @TempDir Path dir;

    @Test
    void fixedSetHasDistinctIdsForEveryScriptItNames() {
        PublicCharacterVocabulary vocabulary = new PublicCharacterVocabulary(16);
        // 95 ASCII + 432 Latin-1/Extended-A/B + 144 Greek + 256 Cyrillic + 24 punctuation, then placeholders
        int ranges = 95 + (0x24F - 0xA0 + 1) + (0x3FF - 0x370 + 1) + (0x4FF - 0x400 + 1) + (0x2027 - 0x2010 + 1);
        // version 1's seven placeholders (EMAIL PHONE CARD IBAN SSN IP URL): the set is pinned, whatever PII
        // types are added later (the shipped encoder multilingual-char reads ids by it)
        assertThat(vocabulary.fixedSize()).isEqualTo(ranges + 7);
        assertThat(vocabulary.size()).isEqualTo(2 + vocabulary.fixedSize() + 16);
        assertThat(vocabulary.id(" ")).isEqualTo(2); // U+0020 is the set's first code point
        Set<Integer> ids = new HashSet<>();
        for (String c : List.of("a", "z", "ß", "ł", "ő", "ş", "λ", "ж", "ї", "ђ", "—", "[EMAIL]")) {
            int id = vocabulary.id(c);
            assertThat(id).isBetween(2, 1 + vocabulary.fixedSize());
            assertThat(ids.add(id)).as("id of %s is its own", c).isTrue();
        }
    }

    @Test
    void placeholdersOfTypesAddedAfterVersionOneAreUnknownNotNewIds() {
        PublicCharacterVocabulary vocabulary = new PublicCharacterVocabulary(16);
        for (String placeholder : List.of("[PERSON]", "[ADDRESS]", "[DATE]")) {
            assertThat(vocabulary.id(placeholder)).isEqualTo(Vocabulary.UNKNOWN_ID);
        }
        assertThat(vocabulary.id("[URL]")).isEqualTo(1 + vocabulary.fixedSize());
    }

    @Test
    void otherCodePointsGoToHashedBucketsAndLongTokensAreUnknown() {
        PublicCharacterVocabulary vocabulary = new PublicCharacterVocabulary(2048);
        int first = 2 + vocabulary.fixedSize();
        for (String c : List.of("中", "文", "日", "本", "ب", "😀")) {
            assertThat(vocabulary.id(c)).isBetween(first, vocabulary.size() - 1);
        }
        // the bucket is the data-independent FNV-1a hash of the UTF-8 bytes (reference: Noll's test vectors)
        assertThat(vocabulary.id("中")).isEqualTo(first + (int) (Integer.toUnsignedLong(
                HashingVocabulary.fnv1a32("中".getBytes(java.nio.charset.StandardCharsets.UTF_8))) % 2048));
        assertThat(vocabulary.id("ab")).isEqualTo(Vocabulary.UNKNOWN_ID);
        List<String> tokens = new CharTokenizer(true).tokens("Привет 世界");
        assertThat(vocabulary.ids(tokens)).doesNotContain(Vocabulary.UNKNOWN_ID).hasSize(9);
    }

    @Test
    void survivesSaveAndLoad() throws IOException {
        Path file = dir.resolve("chars.json");
        VocabularyFiles.save(new PublicCharacterVocabulary(100), file);
        Vocabulary loaded = VocabularyFiles.load(file);
        assertThat(loaded).isInstanceOf(PublicCharacterVocabulary.class);
        assertThat(loaded.size()).isEqualTo(new PublicCharacterVocabulary(100).size());
        assertThat(loaded.id("中")).isEqualTo(new PublicCharacterVocabulary(100).id("中"));
    }
}
