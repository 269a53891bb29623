package org.dplstm.cli;

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
 * one ({@code deu}), optionally followed by a region, script or variant ({@code pt_BR},
 * {@code zh-Hans}, {@code sr@latin}), or when it is a language's English or own name
 * ({@code German}, {@code Deutsch}), in any case. Three-letter codes of languages without a
 * two-letter code are not taken: they include common words ({@code pos} and {@code neg} are
 * languages in ISO 639-3).
 */
final class LanguageLabels {

    private static final Pattern TAG = Pattern.compile("([a-z]{2,3})(?:[-_@.][a-z0-9@._-]+)?");
    private static final Set<String> CODES = new HashSet<>();
    private static final Set<String> NAMES = new HashSet<>();

    static {
        for (String code : Locale.getISOLanguages()) {
            Locale language = new Locale(code);
            CODES.add(code);
            CODES.add(language.getISO3Language());
            NAMES.add(language.getDisplayLanguage(Locale.ENGLISH).toLowerCase(Locale.ROOT));
            NAMES.add(language.getDisplayLanguage(language).toLowerCase(language));
        }
    }

    private LanguageLabels() {}

    /** True when there are at least two labels and every one names a language. */
    static boolean allNameLanguages(Collection<String> labels) {
        return labels.size() >= 2 && labels.stream().allMatch(LanguageLabels::namesLanguage);
    }

    static boolean namesLanguage(String label) {
        String text = label.strip();
        if (NAMES.contains(text.toLowerCase(Locale.ROOT))) {
            return true;
        }
        Matcher tag = TAG.matcher(text.toLowerCase(Locale.ROOT));
        return tag.matches() && CODES.contains(tag.group(1));
    }
}
