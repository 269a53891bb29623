package org.dplstm.data.sanitize.person;

import java.util.List;

/**
 * The person model's word lists: first names and surnames (datafaker's lists for English, German,
 * Spanish and French), common lower-case words (SCOWL's English words and German, Spanish and
 * French function words) and proper nouns (SCOWL's capitalised entries).
 */
record WordLists(WordSet firstNames, WordSet lastNames, WordSet commonWords, WordSet properNouns) {

    List<WordSet> all() {
        return List.of(firstNames, lastNames, commonWords, properNouns);
    }
}
