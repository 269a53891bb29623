package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which label sets name languages: codes, tags and names, and the look-alikes that do not. */
class LanguageLabelsTest {

    @Test
    void codesTagsAndNamesOfLanguagesAreLanguages() {
        assertThat(LanguageLabels.allNameLanguages(List.of("en", "de", "ru", "zh", "ja", "uk"))).isTrue();
        // ISO 639-2 codes of languages that have a two-letter code, in any case
        assertThat(LanguageLabels.allNameLanguages(List.of("eng", "DEU", "rus"))).isTrue();
        // gettext and BCP 47 tags: region, script, variant
        assertThat(LanguageLabels.allNameLanguages(List.of("zh_CN", "pt-BR", "sr@latin", "zh-Hans", "ja"))).isTrue();
        assertThat(LanguageLabels.allNameLanguages(List.of("zh-Hant-TW", "es-419", "sr_RS@latin", "en"))).isTrue();
        // English names and the languages' own names
        assertThat(LanguageLabels.allNameLanguages(List.of("English", "german", "Russian", " French "))).isTrue();
        assertThat(LanguageLabels.allNameLanguages(List.of("Deutsch", "русский", "français", "español"))).isTrue();
    }

    @Test
    void otherLabelsAndMixturesAreNot() {
        assertThat(LanguageLabels.allNameLanguages(List.of("billing", "access"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("s1", "s2", "s5"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("0", "1"))).isFalse();
        // ISO 639-3 has languages named pos and neg; only codes of languages with a two-letter code count
        assertThat(LanguageLabels.allNameLanguages(List.of("pos", "neg"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("yes", "no"))).isFalse();
        // codes that are also common words or abbreviations: not language ID on their own
        assertThat(LanguageLabels.allNameLanguages(List.of("it", "hr"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("IT", "HR", "no"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("cat", "her"))).isFalse();
        // ... but they are languages beside an unambiguous one
        assertThat(LanguageLabels.allNameLanguages(List.of("it", "hr", "de"))).isTrue();
        // a suffix must be a real script, region or modifier
        assertThat(LanguageLabels.allNameLanguages(List.of("it-support", "hr_payroll"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("de", "is_spam"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("de", "no_change"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("de", "de.html"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("de", "pt-br-spam"))).isFalse();
        // one label that is not a language is enough
        assertThat(LanguageLabels.allNameLanguages(List.of("en", "de", "other"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of("en", "de_"))).isFalse();
        // a single class is no language identification
        assertThat(LanguageLabels.allNameLanguages(List.of("en"))).isFalse();
        assertThat(LanguageLabels.allNameLanguages(List.of())).isFalse();
    }
}
