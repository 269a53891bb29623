package org.dplstm.data.tokenize;

/** Recognises redaction placeholders: {@code [} upper-case letters, digits, underscores {@code ]}. */
final class Placeholders {
    private Placeholders() {}

    /** The end of a placeholder starting at {@code start}, or -1 if none starts there. */
    static int endAt(String text, int start) {
        if (text.charAt(start) != '[' || start + 2 >= text.length()) {
            return -1;
        }
        char first = text.charAt(start + 1);
        if (first < 'A' || first > 'Z') {
            return -1;
        }
        for (int i = start + 2; i < text.length() && i < start + 40; i++) {
            char c = text.charAt(i);
            if (c == ']') {
                return i + 1;
            }
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
                return -1;
            }
        }
        return -1;
    }
}
