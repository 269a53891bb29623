package org.dplstm.data.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Character-level tokens: one per code point (white space becomes a single {@code " "}), except
 * placeholders ({@code [EMAIL]}), which stay one token.
 */
public final class CharTokenizer implements Tokenizer {
    private final boolean lowerCase;

    public CharTokenizer(boolean lowerCase) {
        this.lowerCase = lowerCase;
    }

    @Override
    public List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>(text.length());
        int i = 0;
        while (i < text.length()) {
            int placeholderEnd = Placeholders.endAt(text, i);
            if (placeholderEnd > 0) {
                tokens.add(text.substring(i, placeholderEnd));
                i = placeholderEnd;
                continue;
            }
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (Character.isWhitespace(codePoint)) {
                tokens.add(" ");
            } else {
                String token = new String(Character.toChars(codePoint));
                tokens.add(lowerCase ? token.toLowerCase(Locale.ROOT) : token);
            }
        }
        return tokens;
    }
}
