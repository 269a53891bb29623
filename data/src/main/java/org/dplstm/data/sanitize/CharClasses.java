package org.dplstm.data.sanitize;

/** ASCII character tests shared by the detectors (ASCII only: detectors work on normalised text). */
final class CharClasses {
    private CharClasses() {}

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAsciiAlnum(char c) {
        return isDigit(c) || isAsciiLetter(c);
    }

    /** Any letter or digit, ASCII or not: a span must not start or end inside a word. */
    static boolean isWordChar(char c) {
        return c < 128 ? isAsciiAlnum(c) : Character.isLetterOrDigit(c);
    }

    static boolean isHostChar(char c) {
        return isAsciiAlnum(c) || c == '.' || c == '-';
    }

    static boolean hasDigit(String text) {
        return hasDigit(text, 0, text.length());
    }

    /** Whether {@code text} has an ASCII digit between {@code start} (inclusive) and {@code end}. */
    static boolean hasDigit(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (isDigit(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The end of the run of ASCII digits starting at {@code i} ({@code i} itself if there is none). */
    static int digitsEnd(String text, int i) {
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
