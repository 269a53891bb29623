package org.dplstm.data.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenizersTest {

    @Test
    void wordTokenizerKeepsPlaceholdersWholeAndUpperCase() {
        assertThat(new WordTokenizer(true).tokens("Mail [EMAIL] or call [PHONE], don't WAIT!"))
                .containsExactly("mail", "[EMAIL]", "or", "call", "[PHONE]", ",", "don't", "wait", "!");
    }

    @Test
    void wordTokenizerCanKeepCase() {
        assertThat(new WordTokenizer(false).tokens("Café 42x [not a placeholder]"))
                .containsExactly("Café", "42x", "[", "not", "a", "placeholder", "]");
    }

    @Test
    void charTokenizerSplitsCodePointsButNotPlaceholders() {
        assertThat(new CharTokenizer(true).tokens("Hi [IP]\t\uD83D\uDE00"))
                .containsExactly("h", "i", " ", "[IP]", " ", "\uD83D\uDE00");
    }
}
