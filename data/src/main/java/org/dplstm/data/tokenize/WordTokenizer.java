package org.dplstm.data.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Word-level tokens: runs of letters and digits (with inner apostrophes, as in "don't"), each
 * other non-space character on its own, and placeholders ({@code [EMAIL]}) whole and never
 * lower-cased.
 *
 * <p>Chinese and Japanese are written without spaces, so a run of letters there is a clause, not a
 * word: a token that recurs in no other text. With {@code splitUnspacedScripts}, each Han
 * character is a token of its own (as BERT's basic tokenizer does), and a run of letters also ends
 * where the script changes between Hiragana, Katakana and the rest, so a Katakana loanword or a
 * Hiragana inflection between two Han characters is one token.
 */
public final class WordTokenizer implements Tokenizer {
    /** The Katakana-Hiragana prolonged sound mark (script Common): it continues a kana word. */
    private static final int PROLONGED_SOUND_MARK = 0x30FC;

    private final boolean lowerCase;
    private final boolean splitUnspacedScripts;

    /** Runs of letters and digits are words whatever their script. */
    public WordTokenizer(boolean lowerCase) {
        this(lowerCase, false);
    }

    public WordTokenizer(boolean lowerCase, boolean splitUnspacedScripts) {
        this.lowerCase = lowerCase;
        this.splitUnspacedScripts = splitUnspacedScripts;
    }

    @Override
    public List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int length = text.length();
        int i = 0;
        while (i < length) {
            int codePoint = text.codePointAt(i);
            if (Character.isWhitespace(codePoint)) {
                i += Character.charCount(codePoint);
                continue;
            }
            int placeholderEnd = Placeholders.endAt(text, i);
            if (placeholderEnd > 0) {
                tokens.add(text.substring(i, placeholderEnd));
                i = placeholderEnd;
                continue;
            }
            if (Character.isLetterOrDigit(codePoint) && !(splitUnspacedScripts && isHan(codePoint))) {
                int start = i;
                Character.UnicodeScript kana = kanaScript(codePoint);
                while (i < length) {
                    int c = text.codePointAt(i);
                    if (splitUnspacedScripts && endsUnspacedWord(c, kana)) {
                        break;
                    }
                    if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK) {
                        i += Character.charCount(c);
                    } else if (c == '\'' && i + 1 < length && Character.isLetter(text.codePointAt(i + 1))) {
                        i++;
                    } else {
                        break;
                    }
                }
                String word = text.substring(start, i);
                tokens.add(lowerCase ? word.toLowerCase(Locale.ROOT) : word);
                continue;
            }
            int width = Character.charCount(codePoint);
            tokens.add(text.substring(i, i + width));
            i += width;
        }
        return tokens;
    }

    /** Whether {@code c} starts a new token after a run of {@code kana} letters (null: not kana). */
    private static boolean endsUnspacedWord(int c, Character.UnicodeScript kana) {
        boolean continuesKana = c == PROLONGED_SOUND_MARK || Character.getType(c) == Character.NON_SPACING_MARK;
        return isHan(c) || (kanaScript(c) != kana && !continuesKana);
    }

    private static boolean isHan(int codePoint) {
        return Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
    }

    /** Hiragana or Katakana for a kana letter, null for every other character. */
    private static Character.UnicodeScript kanaScript(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HIRAGANA || script == Character.UnicodeScript.KATAKANA ? script : null;
    }
}
