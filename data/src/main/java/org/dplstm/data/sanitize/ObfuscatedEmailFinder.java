package org.dplstm.data.sanitize;

import java.util.List;
import java.util.Set;

/**
 * E-mail addresses written to dodge filters: the {@code @} spelled as {@code (at)}, {@code [at]},
 * {@code {at}}, {@code <at>}, a bare "at" (also "arroba", "arobase"), or an {@code @} with spaces
 * around it; the dots spelled {@code (dot)}, {@code [dot]}, a bare "dot" (also bracketed "punkt",
 * "punto", "point") or written as dots. "john.doe (at) example (dot) com", "john.doe[at]example.com"
 * and "jane dot roe at example dot org" are found whole. A bare "at" is common in prose, so after
 * one the domain must spell at least one dot and end in a known top-level domain ("look at
 * example.com" stays a web address, not an e-mail).
 */
final class ObfuscatedEmailFinder implements SpanFinder {
    private static final Set<String> AT_WORDS = Set.of("at", "arroba", "arobase");
    private static final Set<String> DOT_WORDS = Set.of("dot", "punkt", "punto", "point");
    private static final Set<String> BARE_DOT_WORDS = Set.of("dot");

    @Override
    public void find(String text, List<PiiSpan> out) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            Separator at = null;
            if (c == '@') {
                // "a@b.com" is EmailFinder's; here only an @ with space on a side
                boolean spaced = (i > 0 && text.charAt(i - 1) == ' ') || (i + 1 < length && text.charAt(i + 1) == ' ');
                at = spaced ? new Separator(skipSpacesBack(text, i), skipSpaces(text, i + 1), true) : null;
            } else if (isOpening(c) || c == 'a' || c == 'A') {
                at = spelledSeparator(text, i, AT_WORDS, AT_WORDS);
            }
            if (at == null) {
                continue;
            }
            int end = domainEnd(text, at);
            if (end > 0 && atFollows(text, end)) {
                end = -1; // "me at kyoko dot co at example dot io": that domain was the next address's local part
            }
            int start = end < 0 ? -1 : localStart(text, at.start());
            if (start >= 0) {
                out.add(new PiiSpan(start, end, PiiType.EMAIL.name()));
                i = end - 1;
            } else {
                i = at.end() - 1;
            }
        }
    }

    private static boolean atFollows(String text, int end) {
        if (end >= text.length()) {
            return false;
        }
        char c = text.charAt(end);
        int next = c == ' ' && end + 1 < text.length() ? end + 1 : end;
        return text.charAt(next) == '@' || (c == ' ' && spelledSeparator(text, next, AT_WORDS, AT_WORDS) != null)
                || (isOpening(text.charAt(next)) && spelledSeparator(text, next, AT_WORDS, AT_WORDS) != null);
    }

    /** Where a separator sits and whether it is unambiguous (bracketed, or a real {@code @}). */
    private record Separator(int start, int end, boolean strong) {}

    private static boolean isOpening(char c) {
        return c == '(' || c == '[' || c == '{' || c == '<';
    }

    private static char closing(char c) {
        return switch (c) {
            case '(' -> ')';
            case '[' -> ']';
            case '{' -> '}';
            default -> '>';
        };
    }

    /**
     * A spelled separator starting at {@code i}: a bracketed word from {@code bracketed}
     * ("(at)", "[dot]"), or a bare word from {@code bare} with a space on both sides. The span
     * includes the spaces around it. Null if there is none.
     */
    private static Separator spelledSeparator(String text, int i, Set<String> bracketed, Set<String> bare) {
        int length = text.length();
        char c = text.charAt(i);
        if (isOpening(c)) {
            int wordEnd = i + 1;
            while (wordEnd < length && CharClasses.isAsciiLetter(text.charAt(wordEnd))) {
                wordEnd++;
            }
            if (wordEnd < length && text.charAt(wordEnd) == closing(c) && isOneOf(text, i + 1, wordEnd, bracketed)) {
                return new Separator(skipSpacesBack(text, i), skipSpaces(text, wordEnd + 1), true);
            }
            return null;
        }
        if (i == 0 || text.charAt(i - 1) != ' ') {
            return null;
        }
        int wordEnd = i;
        while (wordEnd < length && CharClasses.isAsciiLetter(text.charAt(wordEnd))) {
            wordEnd++;
        }
        if (wordEnd < length && text.charAt(wordEnd) == ' ' && isOneOf(text, i, wordEnd, bare)) {
            return new Separator(i - 1, wordEnd + 1, false);
        }
        return null;
    }

    /** True if {@code text[start, end)} is one of {@code words}, ignoring case (no garbage per word). */
    private static boolean isOneOf(String text, int start, int end, Set<String> words) {
        for (String word : words) {
            if (word.length() == end - start && text.regionMatches(true, start, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /** A dot in an address: '.', or a spelled one (after a space, or bracketed); null if none starts at {@code i}. */
    private static Separator dotAt(String text, int i) {
        char c = text.charAt(i);
        if (c == '.') {
            return new Separator(i, i + 1, false);
        }
        if (c == ' ' && i + 1 < text.length()) {
            return spelledSeparator(text, i + 1, DOT_WORDS, BARE_DOT_WORDS);
        }
        return isOpening(c) ? spelledSeparator(text, i, DOT_WORDS, BARE_DOT_WORDS) : null;
    }

    /** The end of a valid domain after {@code at}, or -1. */
    private static int domainEnd(String text, Separator at) {
        int length = text.length();
        StringBuilder domain = new StringBuilder(32);
        boolean spelledDot = false;
        int i = at.end();
        int end = -1;
        while (true) {
            int labelStart = i;
            while (i < length && (CharClasses.isAsciiAlnum(text.charAt(i)) || text.charAt(i) == '-')) {
                i++;
            }
            if (i == labelStart || domain.length() + (i - labelStart) > 253) {
                break;
            }
            domain.append(text, labelStart, i);
            end = i;
            if (i >= length) {
                break;
            }
            Separator dot = dotAt(text, i);
            if (dot == null || dot.end() >= length || !CharClasses.isAsciiAlnum(text.charAt(dot.end()))) {
                break;
            }
            spelledDot |= text.charAt(i) != '.';
            domain.append('.');
            i = dot.end();
        }
        if (end < 0 || (end < length && CharClasses.isWordChar(text.charAt(end)))) {
            return -1;
        }
        String host = domain.toString();
        if (at.strong()) {
            return DomainNames.isDomain(host, 0, host.length(), false) ? end : -1;
        }
        return spelledDot && DomainNames.isDomain(host, 0, host.length(), true) ? end : -1;
    }

    /** The start of the local part that ends right before {@code atStart}, or -1. */
    private static int localStart(String text, int atStart) {
        int i = atStart;
        int start = -1;
        while (true) {
            int wordEnd = i;
            while (i > 0 && isLocalChar(text.charAt(i - 1))) {
                i--;
            }
            if (i == wordEnd) {
                break;
            }
            start = i;
            // a spelled dot before this piece: " dot ", " (dot) ", "[dot]"
            int before = previousDotStart(text, i);
            if (before < 0) {
                break;
            }
            i = before;
        }
        if (start < 0 || (start > 0 && CharClasses.isWordChar(text.charAt(start - 1))) || atStart - start > 80) {
            return -1;
        }
        while (start < atStart && !CharClasses.isAsciiAlnum(text.charAt(start))) {
            start++;
        }
        return start < atStart ? start : -1;
    }

    /** If a spelled dot ends at {@code end} (the local part continues before it), where it starts; else -1. */
    private static int previousDotStart(String text, int end) {
        for (int from = Math.max(0, end - 9); from < end; from++) {
            char c = text.charAt(from);
            if (c != ' ' && !isOpening(c)) {
                continue;
            }
            Separator dot = dotAt(text, from);
            if (dot != null && dot.end() == end && text.charAt(dot.start()) != '.') {
                return dot.start();
            }
        }
        return -1;
    }

    private static boolean isLocalChar(char c) {
        return CharClasses.isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static int skipSpaces(String text, int i) {
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int skipSpacesBack(String text, int i) {
        while (i > 0 && text.charAt(i - 1) == ' ') {
            i--;
        }
        return i;
    }
}
