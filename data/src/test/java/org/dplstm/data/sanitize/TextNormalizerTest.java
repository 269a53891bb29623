package org.dplstm.data.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
    private final TextNormalizer normalizer = new TextNormalizer(20);

    @Test
    void appliesNfkcAndRemovesInvisibleCharacters() {
        // Full-width digits and the "fi" ligature fold under NFKC; ZWSP, ZWJ, BOM, soft hyphen and a bell go.
        assertThat(new TextNormalizer(100).normalize("\uFF11\uFF12 \uFB01le pass\u200Bwo\u200Drd\uFEFF\u00AD\u0007"))
                .isEqualTo("12 file password");
    }

    @Test
    void unifiesWhiteSpaceAndTrims() {
        assertThat(normalizer.normalize("  a\t\tb\r\n c\u00A0\u2003d  ")).isEqualTo("a b c d");
    }

    @Test
    void capsLengthWithoutSplittingSurrogatePairs() {
        assertThat(normalizer.normalize("abcdefghijklmnopqrstuvwxyz")).isEqualTo("abcdefghijklmnopqrst");
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        assertThat(normalizer.normalize("a".repeat(19) + emoji)).isEqualTo("a".repeat(19));
    }

    @Test
    void cleanAsciiComesBackUnchanged() {
        assertThat(normalizer.normalize("plain text, ok")).isEqualTo("plain text, ok");
    }
}
