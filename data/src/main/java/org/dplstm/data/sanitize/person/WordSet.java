package org.dplstm.data.sanitize.person;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * A set of lower-case words that answers "is text[start, end) in the set, ignoring case?" without
 * creating a string: open addressing over the words' case-folded hashes. Immutable.
 */
final class WordSet {
    private final String[] table;
    private final int mask;
    private final List<String> words;

    WordSet(Collection<String> words) {
        this.words = words.stream().map(w -> w.toLowerCase(Locale.ROOT)).distinct().sorted().toList();
        int capacity = Integer.highestOneBit(Math.max(4, this.words.size() * 2 - 1)) << 1;
        table = new String[capacity];
        mask = capacity - 1;
        for (String word : this.words) {
            int slot = hash(word, 0, word.length()) & mask;
            while (table[slot] != null) {
                slot = (slot + 1) & mask;
            }
            table[slot] = word;
        }
    }

    /** The words, lower-cased and sorted (for writing a model file). */
    List<String> words() {
        return words;
    }

    int size() {
        return words.size();
    }

    boolean contains(CharSequence text, int start, int end) {
        int slot = hash(text, start, end) & mask;
        String candidate;
        while ((candidate = table[slot]) != null) {
            if (equalsIgnoreCase(candidate, text, start, end)) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    boolean contains(String word) {
        return contains(word, 0, word.length());
    }

    private static boolean equalsIgnoreCase(String word, CharSequence text, int start, int end) {
        if (word.length() != end - start) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) != Character.toLowerCase(text.charAt(start + i))) {
                return false;
            }
        }
        return true;
    }

    /** FNV-1a over the lower-cased chars, finished with a multiplicative mix. */
    static int hash(CharSequence text, int start, int end) {
        int h = 0x811C9DC5;
        for (int i = start; i < end; i++) {
            h = (h ^ Character.toLowerCase(text.charAt(i))) * 0x01000193;
        }
        return h * 0x9E3779B1 >>> 1;
    }
}
