package org.dplstm.data.sanitize.person;

import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Finds person names: every capitalised word is scored by the model's linear scorer over its
 * {@link PersonFeatures}; words scoring above the threshold become names, and adjacent names join
 * into one span with the initials ("J.", "John F. Kennedy") and name particles ("van", "de la")
 * between or before them. Lower-case and all-capitals names are not looked for. Thread-safe.
 */
public final class PersonTagger {
    /** Lower-case words that can sit inside a name ("Ludwig van Beethoven", "María de la Cruz"). */
    private static final Set<String> PARTICLES = Set.of("van", "von", "de", "der", "den", "da", "das", "do", "dos",
            "del", "della", "di", "du", "la", "le", "ter", "ten", "zu", "bin", "ibn", "al", "y");

    private static final int GERMAN_BITS = PersonFeatures.GERMAN_NOUN | PersonFeatures.GERMAN_COMPOUND
            | PersonFeatures.GERMAN_WORD;

    private final PersonModel model;
    private final PersonFeatures features;

    public PersonTagger(PersonModel model) {
        this.model = model;
        this.features = model.features();
    }

    /** Calls {@code span} with the start and end of every name found in {@code text}, in order. */
    public void find(String text, BiConsumer<Integer, Integer> span) {
        if (!hasCapital(text)) {
            return;
        }
        NameTokens tokens = new NameTokens(text);
        boolean[] name = scoreCapitalisedWords(tokens);
        int t = 0;
        while (t < tokens.size) {
            if (!name[t]) {
                t++;
                continue;
            }
            int first = t;
            while (first > 0 && tokens.adjacent(first - 1) && tokens.kind[first - 1] == NameTokens.INITIAL) {
                first--;
            }
            int last = t;
            while (last + 1 < tokens.size && tokens.adjacent(last) && (name[last + 1]
                    || (isJoiner(tokens, last + 1) && continuesToName(tokens, last + 1, name)))) {
                last++;
            }
            span.accept(tokens.start[first], tokens.end[last]);
            t = last + 1;
        }
    }

    private boolean[] scoreCapitalisedWords(NameTokens tokens) {
        int[] lists = new int[tokens.size];
        boolean any = false;
        for (int t = 0; t < tokens.size; t++) {
            boolean capitalised = tokens.isCapitalised(t);
            lists[t] = capitalised ? features.lists(tokens, t) : -1;
            any |= capitalised;
        }
        boolean[] name = new boolean[tokens.size];
        if (!any) {
            return name;
        }
        int[] hashed = new int[PersonFeatures.MAX];
        float threshold = model.threshold();
        for (int t = 0; t < tokens.size; t++) {
            if (lists[t] >= 0 && !tokens.isElided(t)) { // scored words keep elided ones as neighbours, as in training
                int count = features.extract(tokens, t, lists, hashed);
                name[t] = model.score(hashed, count) > threshold || continuesNameAfterJoiners(tokens, t, lists, name);
            }
        }
        return name;
    }

    /**
     * A capitalised word that is not a common word, after a name and middle initials ("Thomas J.
     * Whitfield"), is the name's last part whatever its own score: in running text nothing else
     * follows a given name and an initial. The same after a name and a particle ("Maelle Le Goff",
     * "Ana de Souza") when the word is no German word either ("Mit Jonas den Kalender teilen").
     */
    private static boolean continuesNameAfterJoiners(NameTokens tokens, int t, int[] lists, boolean[] name) {
        if ((lists[t] & PersonFeatures.COMMON_WORD) != 0) {
            return false;
        }
        int before = t - 1;
        boolean particle = false;
        while (before >= 0 && tokens.adjacent(before) && isJoiner(tokens, before)) {
            particle |= tokens.kind[before] != NameTokens.INITIAL;
            before--;
        }
        if (before == t - 1 || before < 0 || !tokens.adjacent(before) || !name[before]) {
            return false;
        }
        return !particle || (lists[t] & GERMAN_BITS) == 0;
    }

    /**
     * An initial or a particle may join names; a particle also with a capital ("Maelle Le Goff",
     * "Laura Di Stefano"), since it joins only when names stand on both sides of it.
     */
    private static boolean isJoiner(NameTokens tokens, int t) {
        if (tokens.kind[t] == NameTokens.INITIAL) {
            return true;
        }
        if (tokens.kind[t] != NameTokens.WORD) {
            return false;
        }
        String word = tokens.text.substring(tokens.start[t], tokens.end[t]);
        return tokens.isLowerCase(t) ? PARTICLES.contains(word)
                : tokens.isCapitalised(t) && PARTICLES.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Joiners after a name belong to it only if another name follows them. */
    private static boolean continuesToName(NameTokens tokens, int t, boolean[] name) {
        int next = t + 1;
        while (next < tokens.size && tokens.adjacent(next - 1) && isJoiner(tokens, next)) {
            next++;
        }
        return next < tokens.size && tokens.adjacent(next - 1) && name[next];
    }

    private static boolean hasCapital(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isUpperCase(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
