package org.dplstm.data.sanitize;

import java.util.List;

/**
 * E-mail addresses: a local part (letters, digits, {@code . _ % + -}, so plus-addressing too) and
 * a domain of at least two labels ending in an alphabetic top-level domain; any case.
 */
final class EmailFinder implements SpanFinder {

    @Override
    public void find(String text, List<PiiSpan> out) {
        int at = text.indexOf('@');
        while (at >= 0) {
            int next = at + 1;
            int start = at;
            while (start > 0 && isLocalChar(text.charAt(start - 1))) {
                start--;
            }
            while (start < at && text.charAt(start) == '.') {
                start++;
            }
            int end = at + 1;
            while (end < text.length() && CharClasses.isHostChar(text.charAt(end))) {
                end++;
            }
            while (end > at + 1 && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == '-')) {
                end--;
            }
            if (start < at && at - start <= 64 && (start == 0 || !CharClasses.isWordChar(text.charAt(start - 1)))
                    && text.charAt(at - 1) != '.' && DomainNames.isDomain(text, at + 1, end, false)) {
                out.add(new PiiSpan(start, end, PiiType.EMAIL.name()));
                next = end;
            }
            at = text.indexOf('@', next);
        }
    }

    private static boolean isLocalChar(char c) {
        return CharClasses.isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }
}
