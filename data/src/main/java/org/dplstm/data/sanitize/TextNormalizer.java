package org.dplstm.data.sanitize;

import java.text.Normalizer;

/**
 * Unicode NFKC normalisation (so look-alike forms such as full-width digits become the plain
 * ones the detectors know), control and format characters (zero-width spaces and joiners, BOMs,
 * soft hyphens, bidi marks) removed, every run of white space turned into one space, the ends
 * trimmed, and the length capped (in chars, never splitting a surrogate pair).
 */
public final class TextNormalizer {
    private final int maxChars;

    public TextNormalizer(int maxChars) {
        if (maxChars < 1) {
            throw new IllegalArgumentException("max chars must be >= 1, was " + maxChars);
        }
        this.maxChars = maxChars;
    }

    public String normalize(String text) {
        if (isClean(text)) {
            return text;
        }
        String composed = isPrintableAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(Math.min(composed.length(), maxChars));
        boolean pendingSpace = false;
        int length = composed.length();
        for (int i = 0; i < length; ) {
            int codePoint = composed.codePointAt(i);
            int width = Character.charCount(codePoint);
            i += width;
            if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            int type = Character.getType(codePoint);
            if (type == Character.CONTROL || type == Character.FORMAT) {
                continue;
            }
            int needed = width + (pendingSpace ? 1 : 0);
            if (out.length() + needed > maxChars) {
                break;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.appendCodePoint(codePoint);
        }
        return out.toString();
    }

    /** Printable ASCII, single inner spaces, no space at either end, short enough: nothing to do. */
    private boolean isClean(String text) {
        int length = text.length();
        if (length > maxChars || (length > 0 && (text.charAt(0) == ' ' || text.charAt(length - 1) == ' '))) {
            return false;
        }
        char previous = 'x';
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E || (c == ' ' && previous == ' ')) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** Printable ASCII needs no Unicode normalisation (NFKC leaves it unchanged). */
    private static boolean isPrintableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
