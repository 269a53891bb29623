package org.dplstm.data.vocab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.dplstm.privacy.PrivacyEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabulariesTest {
    @TempDir Path dir;

    @Test
    void fnv1aMatchesPublishedTestVectors() {
        // From the FNV reference test suite (Noll, "FNV hash test vectors"): FNV-1a 32-bit.
        assertThat(HashingVocabulary.fnv1a32(new byte[0])).isEqualTo(0x811c9dc5);
        assertThat(HashingVocabulary.fnv1a32("a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xe40c292c);
        assertThat(HashingVocabulary.fnv1a32("foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xbf9cf968);
    }

    @Test
    void hashingIdsAreInRangeAndSkipReservedIds() {
        HashingVocabulary vocabulary = new HashingVocabulary(10);
        assertThat(vocabulary.size()).isEqualTo(12);
        // "a" hashes to 0xe40c292c = 3826002220; 3826002220 mod 10 = 0, so its id is 2.
        assertThat(vocabulary.id("a")).isEqualTo(2);
        for (String token : List.of("x", "hello", "[EMAIL]", "ü")) {
            assertThat(vocabulary.id(token)).isBetween(2, 11);
        }
    }

    @Test
    void wordListReservesPaddingAndUnknown() throws IOException {
        Path file = dir.resolve("words.txt");
        Files.writeString(file, "# public list\nthe\norder\n\nthe\nrefund\n");
        WordListVocabulary vocabulary = WordListVocabulary.fromFile(file);
        assertThat(vocabulary.size()).isEqualTo(5);
        assertThat(vocabulary.id("the")).isEqualTo(2);
        assertThat(vocabulary.id("refund")).isEqualTo(4);
        assertThat(vocabulary.id("zebra")).isEqualTo(Vocabulary.UNKNOWN_ID);
    }

    @Test
    void vocabulariesSurviveSaveAndLoad() throws IOException {
        Path hashed = dir.resolve("h.json");
        VocabularyFiles.save(new HashingVocabulary(1000), hashed);
        Vocabulary loaded = VocabularyFiles.load(hashed);
        assertThat(loaded.size()).isEqualTo(1002);
        assertThat(loaded.id("refund")).isEqualTo(new HashingVocabulary(1000).id("refund"));
        Path words = dir.resolve("w.json");
        VocabularyFiles.save(WordListVocabulary.of(List.of("b", "a")), words);
        assertThat(VocabularyFiles.load(words).id("a")).isEqualTo(3);
        Files.writeString(dir.resolve("bad.json"), "{\"type\":\"bpe\"}");
        assertThatThrownBy(() -> VocabularyFiles.load(dir.resolve("bad.json")))
                .hasMessageContaining("type must be hashing, public_chars or word_list, was bpe");
    }

    @Test
    void dpThresholdIsTheClosedForm() {
        DpVocabularySelector selector = DpVocabularySelector.builder()
                .optMaxTokensPerUser(4).noiseMultiplier(2.0).thresholdDelta(1e-6).buildSeededForTesting(1);
        // 1 + sigma * sqrt(k) * z, with z the upper (delta/k)-quantile of N(0,1), from commons-math3.
        double z = new NormalDistribution().inverseCumulativeProbability(1 - 1e-6 / 4);
        assertThat(selector.threshold()).isCloseTo(1 + 2.0 * 2 * z, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(z).isCloseTo(5.0263, org.assertj.core.data.Offset.offset(1e-3)); // published normal table value
    }

    @Test
    void dpSelectionKeepsCommonTokensDropsUniqueOnesAndReportsItsCost() {
        DpVocabularySelector selector = DpVocabularySelector.builder()
                .optMaxTokensPerUser(3).noiseMultiplier(1.0).thresholdDelta(1e-5).buildSeededForTesting(7);
        List<Set<String>> users = new ArrayList<>();
        for (int u = 0; u < 500; u++) {
            users.add(new HashSet<>(List.of("order", "refund", "secret-name-" + u)));
        }
        DpVocabulary result = selector.selectFromUserTokens(users);
        assertThat(result.vocabulary().tokens()).containsExactlyInAnyOrder("order", "refund");
        assertThat(result.events()).containsExactly(new PrivacyEvent.Gaussian(1.0, 1), new PrivacyEvent.ThresholdDelta(1e-5));
    }

    @Test
    void dpSelectionCountsAtMostKTokensPerUser() {
        // 500 users all holding the same 1000 tokens. Unbounded, every token would count 500 and
        // pass; with k = 2 the 1000 counts add up to 1000 (about 1 each), under the threshold of
        // 1 + 0.5 * sqrt(2) * 3.29 = 3.33, so only a few tokens pass by noise.
        DpVocabularySelector selector = DpVocabularySelector.builder()
                .optMaxTokensPerUser(2).noiseMultiplier(0.5).thresholdDelta(1e-3).buildSeededForTesting(3);
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add("t" + i);
        }
        List<Set<String>> users = new ArrayList<>();
        for (int u = 0; u < 500; u++) {
            users.add(tokens);
        }
        assertThat(selector.selectFromUserTokens(users).vocabulary().tokens().size()).isLessThan(100);
    }

    @Test
    void dpBuilderValidates() {
        assertThatThrownBy(() -> DpVocabularySelector.builder().noiseMultiplier(1).thresholdDelta(2).build())
                .hasMessage("threshold delta must be in (0, 1), was 2.0");
    }
}
