package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which label sets name languages: codes, tags and names, and the look-alikes that do not. */
class LanguageLabelsTest {

    private static void assertLanguageId(String... labels) {
        assertThat(LanguageLabels.isLanguageIdentification(List.of(labels))).as(List.of(labels).toString()).isTrue();
    }

    private static void assertNotLanguageId(String... labels) {
        assertThat(LanguageLabels.isLanguageIdentification(List.of(labels))).as(List.of(labels).toString()).isFalse();
    }

    @Test
    void codesTagsAndNamesOfLanguagesAreLanguages() {
        assertLanguageId("en", "de", "ru", "zh", "ja", "uk");
        // ISO 639-2 codes of languages that have a two-letter code, in any case
        assertLanguageId("eng", "DEU", "rus");
        // gettext and BCP 47 tags: region, script, variant
        assertLanguageId("zh_CN", "pt-BR", "sr@latin", "zh-Hans", "ja");
        assertLanguageId("zh-Hant-TW", "es-419", "sr_RS@latin", "en");
        // English names and the languages' own names
        assertLanguageId("English", "german", "Russian", " French ");
        assertLanguageId("Deutsch", "русский", "français", "español");
        // the three-letter codes language-ID corpora use beyond ISO 639-1: ISO 639-2/B and the ISO
        // 639-3 codes of individual languages, and their names and common aliases
        assertLanguageId("ger", "fre", "cze", "spa");
        assertLanguageId("cmn", "yue", "eng", "pes", "arz", "fil", "swh");
        assertLanguageId("Cantonese", "Swiss German", "Filipino", "Farsi", "Mandarin", "English");
        // BCP 47 extended language subtags: a macrolanguage, then one of its individual languages
        assertLanguageId("zh-yue", "zh-cmn", "zh-cmn-Hans", "ar-arz", "en");
    }

    @Test
    void oneCatchAllClassBesideTwoLanguagesIsLanguageId() {
        assertLanguageId("en", "de", "other");
        assertLanguageId("English", "German", "Unknown");
        assertLanguageId("eng", "deu", "und");
        // not two of them, not beside one language, not beside only word-like codes
        assertNotLanguageId("en", "de", "other", "unknown");
        assertNotLanguageId("en", "other");
        assertNotLanguageId("it", "hr", "other");
    }

    @Test
    void otherLabelsAndMixturesAreNot() {
        assertNotLanguageId("billing", "access");
        assertNotLanguageId("s1", "s2", "s5");
        assertNotLanguageId("0", "1");
        // ISO 639-3 has languages named pos and neg; only codes of languages with a two-letter code count
        assertNotLanguageId("pos", "neg");
        assertNotLanguageId("yes", "no");
        // codes that are also common words or abbreviations: not language ID on their own
        assertNotLanguageId("it", "hr");
        assertNotLanguageId("IT", "HR", "no");
        assertNotLanguageId("cat", "her");
        // ... but they are languages beside an unambiguous one
        assertLanguageId("it", "hr", "de");
        // a suffix must be a real script, region or modifier
        assertNotLanguageId("it-support", "hr_payroll");
        assertNotLanguageId("de", "is_spam");
        assertNotLanguageId("de", "no_change");
        assertNotLanguageId("de", "de.html");
        assertNotLanguageId("de", "pt-br-spam");
        assertNotLanguageId("de", "zh-abc");
        assertNotLanguageId("de", "en-yue");
        // one label that is not a language is enough
        assertNotLanguageId("en", "de", "billing");
        // three-letter codes that are common words are word-like, as the two-letter ones are
        assertNotLanguageId("may", "per", "war");
        assertNotLanguageId("arm", "geo", "rum");
        assertNotLanguageId("vec", "plt");
        assertLanguageId("arm", "geo", "rum", "de");
        assertNotLanguageId("en", "de_");
        // a single class is no language identification
        assertNotLanguageId("en");
        assertNotLanguageId();
    }
}
