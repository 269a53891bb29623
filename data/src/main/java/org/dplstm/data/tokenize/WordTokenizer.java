package org.dplstm.data.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Word-level tokens: runs of letters and digits (with inner apostrophes, as in "don't"), each
 * other non-space character on its own, and placeholders ({@code [EMAIL]}) whole and never
 * lower-cased.
 */
public final class WordTokenizer implements Tokenizer {
    private final boolean lowerCase;

    public WordTokenizer(boolean lowerCase) {
        this.lowerCase = lowerCase;
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
            if (Character.isLetterOrDigit(codePoint)) {
                int start = i;
                while (i < length) {
                    int c = text.codePointAt(i);
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
}
