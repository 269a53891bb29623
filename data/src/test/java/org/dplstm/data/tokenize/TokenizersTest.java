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
    void unspacedScriptsSplitIntoHanCharactersAndKanaWords() {
        WordTokenizer split = new WordTokenizer(true, true);
        assertThat(split.tokens("提供给IP子网，DNS")).containsExactly("提", "供", "给", "ip", "子", "网", "，", "dns");
        assertThat(split.tokens("日本語のテキストです。サーバーを3つ"))
                .containsExactly("日", "本", "語", "の", "テキスト", "です", "。", "サーバー", "を", "3", "つ");
        // a combining voiced-sound mark stays with its kana; Latin words with marks are unchanged
        assertThat(split.tokens("か\u3099き Cafe\u0301")).containsExactly("か\u3099き", "cafe\u0301");
    }

    @Test
    void withoutSplittingARunOfHanAndKanaIsOneWord() {
        assertThat(new WordTokenizer(true).tokens("日本語のテキストです。提供给IP子网"))
                .containsExactly("日本語のテキストです", "。", "提供给ip子网");
    }

    @Test
    void charTokenizerSplitsCodePointsButNotPlaceholders() {
        assertThat(new CharTokenizer(true).tokens("Hi [IP]\t\uD83D\uDE00"))
                .containsExactly("h", "i", " ", "[IP]", " ", "\uD83D\uDE00");
    }
}
