package org.dplstm.data.sanitize.person;

import java.util.List;

/**
 * The person model's word lists: first names and surnames (datafaker's lists for English, German,
 * Spanish and French), common lower-case words (SCOWL's English words and German, Spanish and
 * French function words), proper nouns (SCOWL's capitalised entries), and German nouns and other
 * German words (the capitalised and the lower-case entries of Debian's wngerman, names left out).
 * Models of feature version 1 have no German lists (both empty).
 */
record WordLists(WordSet firstNames, WordSet lastNames, WordSet commonWords, WordSet properNouns,
        WordSet germanNouns, WordSet germanWords) {

    /** Lists without the German ones (models of feature version 1). */
    WordLists(WordSet firstNames, WordSet lastNames, WordSet commonWords, WordSet properNouns) {
        this(firstNames, lastNames, commonWords, properNouns, new WordSet(List.of()), new WordSet(List.of()));
    }

    /** Whether the German lists are present: the features of version 2. */
    boolean hasGerman() {
        return germanNouns.size() > 0 || germanWords.size() > 0;
    }

    /** The lists a model file holds, in file order: four for version 1, six for version 2. */
    List<WordSet> all() {
        return hasGerman() ? List.of(firstNames, lastNames, commonWords, properNouns, germanNouns, germanWords)
                : List.of(firstNames, lastNames, commonWords, properNouns);
    }
}
