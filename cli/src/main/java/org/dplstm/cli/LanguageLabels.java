package org.dplstm.cli;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a classifier's labels all name languages: then the task is language identification, the
 * one the shipped character encoder was trained for (ClassifierDefaults). Reads only the label
 * names, which every classifier releases without noise in its model (docs/ARCHITECTURE.md §2:
 * the label set is public), never the texts.
 *
 * <p>A label names a language when it is an ISO 639-1 code ({@code de}) or the ISO 639-2 code of
 * one ({@code deu}), optionally tagged with a script and a region ({@code zh-Hans}, {@code pt_BR},
 * {@code es-419}) or a gettext modifier ({@code sr@latin}), or when it is a language's English or own
 * name ({@code German}, {@code Deutsch}), in any case. Codes that are also common English words or
 * abbreviations ({@code it}, {@code hr}, {@code no}, {@code cat} ...) count only beside at least one
 * label that is unambiguous, so that {@code it}/{@code hr} ticket routing stays a topic task.
 * Three-letter codes of languages without a two-letter code are not taken: they include common
 * words ({@code pos} and {@code neg} are languages in ISO 639-3).
 */
final class LanguageLabels {

    private static final Set<String> SCRIPTS = Set.of("latn", "cyrl", "hans", "hant", "arab", "deva", "grek", "hebr",
            "jpan", "kore", "thai", "beng", "taml", "geor", "armn", "ethi");
    private static final Pattern TAG = Pattern.compile("([a-z]{2,3})((?:[-_](?:[a-z]{4}|[a-z]{2}|[0-9]{3}))*)(@[a-z]+)?");
    private static final Set<String> WORD_LIKE_CODES = Set.of("am", "an", "as", "be", "he", "hi", "hr", "id", "in", "is",
            "it", "la", "ml", "ms", "mt", "my", "no", "or", "os", "pa", "se", "so", "to", "ve", "ave", "ben", "bis", "cat",
            "fin", "hat", "her", "kin", "lat", "lav", "lim", "lin", "mal", "mar", "nor", "pan", "pol", "run", "sag", "san",
            "sin", "som", "sun", "tam", "tat", "tel", "ton", "vol");
    private static final Set<String> CODES = new HashSet<>();
    private static final Set<String> REGIONS = new HashSet<>(Arrays.asList(Locale.getISOCountries()));
    private static final Set<String> NAMES = new HashSet<>();

    static {
        for (String code : Locale.getISOLanguages()) {
            Locale language = new Locale(code);
            CODES.add(code);
            CODES.add(language.getISO3Language());
            NAMES.add(language.getDisplayLanguage(Locale.ENGLISH).toLowerCase(Locale.ROOT));
            NAMES.add(language.getDisplayLanguage(language).toLowerCase(Locale.ROOT));
        }
    }

    private LanguageLabels() {}

    /**
     * True when there are at least two labels, every one names a language, and at least one does
     * so unambiguously (not only a code that is also a common word).
     */
    static boolean allNameLanguages(Collection<String> labels) {
        return labels.size() >= 2 && labels.stream().allMatch(LanguageLabels::namesLanguage)
                && labels.stream().anyMatch(label -> !WORD_LIKE_CODES.contains(label.strip().toLowerCase(Locale.ROOT)));
    }

    static boolean namesLanguage(String label) {
        String text = label.strip().toLowerCase(Locale.ROOT);
        if (NAMES.contains(text)) {
            return true;
        }
        Matcher tag = TAG.matcher(text);
        return tag.matches() && CODES.contains(tag.group(1)) && subtagsAreReal(tag.group(2));
    }

    /** Each subtag after the language is a known script (4 letters), a country (2) or a UN region (3 digits). */
    private static boolean subtagsAreReal(String subtags) {
        for (String subtag : subtags.split("[-_]")) {
            boolean real = subtag.isEmpty() || subtag.matches("[0-9]{3}")
                    || subtag.length() == 4 && SCRIPTS.contains(subtag)
                    || subtag.length() == 2 && REGIONS.contains(subtag.toUpperCase(Locale.ROOT));
            if (!real) {
                return false;
            }
        }
        return true;
    }
}
