package org.dplstm.data.sanitize.person;

import java.util.Arrays;

/**
 * A text cut into the tokens the person detector looks at: words (letters, with inner hyphens
 * and apostrophes: "Jean-Luc", "O'Brien"; a possessive "'s" is its own token), initials ("J."),
 * numbers, and single punctuation characters. Positions only, in parallel arrays; white space is
 * skipped. Built once per text.
 */
final class NameTokens {
    static final byte WORD = 0;
    static final byte INITIAL = 1;
    static final byte NUMBER = 2;
    static final byte PUNCT = 3;

    int size;
    int[] start;
    int[] end;
    byte[] kind;
    final String text;
    /** How German the text's lower-case words look (PersonFeatures#germanContext), -1 until computed. */
    int germanContext = -1;

    NameTokens(String text) {
        this.text = text;
        int capacity = Math.max(8, text.length() / 4);
        start = new int[capacity];
        end = new int[capacity];
        kind = new byte[capacity];
        tokenize();
    }

    private void tokenize() {
        int length = text.length();
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c)) {
                int e = wordEnd(i);
                if (e == i + 1 && Character.isUpperCase(c) && e < length && text.charAt(e) == '.') {
                    add(i, e + 1, INITIAL);
                    i = e + 1;
                } else {
                    add(i, e, WORD);
                    i = e;
                }
            } else if (Character.isDigit(c)) {
                int e = i;
                while (e < length && Character.isDigit(text.charAt(e))) {
                    e++;
                }
                add(i, e, NUMBER);
                i = e;
            } else {
                add(i, i + 1, PUNCT);
                i++;
            }
        }
    }

    /** Letters, joined across a hyphen or apostrophe followed by a letter, except a possessive 's. */
    private int wordEnd(int i) {
        int length = text.length();
        int e = i;
        while (e < length) {
            char c = text.charAt(e);
            if (Character.isLetter(c)) {
                e++;
            } else if ((c == '-' || c == '\'' || c == '\u2019') && e + 1 < length && Character.isLetter(text.charAt(e + 1))
                    && !isPossessive(e)) {
                e++;
            } else {
                break;
            }
        }
        return e;
    }

    private boolean isPossessive(int apostrophe) {
        char c = text.charAt(apostrophe);
        if (c == '-') {
            return false;
        }
        int after = apostrophe + 1;
        return (text.charAt(after) == 's' || text.charAt(after) == 'S')
                && (after + 1 == text.length() || !Character.isLetter(text.charAt(after + 1)));
    }

    private void add(int s, int e, byte k) {
        if (size == start.length) {
            start = Arrays.copyOf(start, size * 2);
            end = Arrays.copyOf(end, size * 2);
            kind = Arrays.copyOf(kind, size * 2);
        }
        start[size] = s;
        end[size] = e;
        kind[size] = k;
        size++;
    }

    /** A capitalised word: upper-case first letter and at least one lower-case letter ("Smith", "McDonald", not "NASA"). */
    boolean isCapitalised(int t) {
        if (kind[t] != WORD || !Character.isUpperCase(text.charAt(start[t]))) {
            return false;
        }
        for (int i = start[t] + 1; i < end[t]; i++) {
            if (Character.isLowerCase(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * One capital elided before lower-case letters: "I'd", "I'm", French and Italian "L'homme",
     * "D'accord" (but not "O'Brien"). Never a name, although {@link #isCapitalised} says capitalised.
     */
    boolean isElided(int t) {
        int s = start[t];
        return kind[t] == WORD && end[t] - s > 2 && Character.isUpperCase(text.charAt(s))
                && (text.charAt(s + 1) == '\'' || text.charAt(s + 1) == '\u2019') && Character.isLowerCase(text.charAt(s + 2));
    }

    boolean isLowerCase(int t) {
        return kind[t] == WORD && Character.isLowerCase(text.charAt(start[t]));
    }

    char firstChar(int t) {
        return text.charAt(start[t]);
    }

    int length(int t) {
        return end[t] - start[t];
    }

    /** True if only spaces (at most one) separate tokens {@code t} and {@code t + 1}. */
    boolean adjacent(int t) {
        return t + 1 < size && start[t + 1] - end[t] <= 1;
    }
}
