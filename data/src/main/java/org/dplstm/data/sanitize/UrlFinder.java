package org.dplstm.data.sanitize;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Web addresses: with a scheme ({@code https://...}), starting with {@code www.}, or a bare host
 * name with a known TLD ({@code example.com/orders?id=7}); with optional port, path, query and
 * fragment. Trailing sentence punctuation and unbalanced closing brackets are not part of a URL.
 */
final class UrlFinder implements SpanFinder {
    private static final Set<String> SCHEMES = Set.of("http", "https", "ftp", "ftps", "sftp", "ws", "wss");

    @Override
    public void find(String text, List<PiiSpan> out) {
        int from = 0;
        int length = text.length();
        while (from < length) {
            int dot = text.indexOf('.', from);
            int scheme = text.indexOf("://", from);
            if (dot < 0 && scheme < 0) {
                return;
            }
            int next;
            if (scheme >= 0 && (dot < 0 || scheme < dot)) {
                next = tryScheme(text, scheme, out);
            } else {
                next = tryHost(text, dot, out);
            }
            from = Math.max(next, from + 1);
        }
    }

    /** At "://": the scheme before it and everything up to white space. */
    private int tryScheme(String text, int colon, List<PiiSpan> out) {
        int start = colon;
        while (start > 0 && CharClasses.isAsciiLetter(text.charAt(start - 1))) {
            start--;
        }
        if (start == colon || (start > 0 && CharClasses.isWordChar(text.charAt(start - 1)))
                || !SCHEMES.contains(text.substring(start, colon).toLowerCase(Locale.ROOT))) {
            return colon + 3;
        }
        int end = trimTail(text, colon + 3, pathEnd(text, colon + 3));
        if (end <= colon + 3) {
            return colon + 3;
        }
        out.add(new PiiSpan(start, end, PiiType.URL.name()));
        return end;
    }

    /** At a dot: a host name around it (www.* or a known TLD), then port and path. */
    private int tryHost(String text, int dot, List<PiiSpan> out) {
        int length = text.length();
        if (dot == 0 || dot + 1 >= length || !CharClasses.isAsciiAlnum(text.charAt(dot - 1))
                || !CharClasses.isAsciiLetter(text.charAt(dot + 1))) {
            return dot + 1;
        }
        int start = dot;
        while (start > 0 && CharClasses.isHostChar(text.charAt(start - 1))) {
            start--;
        }
        if (start > 0) {
            char before = text.charAt(start - 1);
            if (before == '@' || before == '/' || CharClasses.isWordChar(before)) {
                return skipHost(text, dot);
            }
        }
        int hostEnd = dot + 1;
        while (hostEnd < length && CharClasses.isHostChar(text.charAt(hostEnd))) {
            hostEnd++;
        }
        while (hostEnd > dot && (text.charAt(hostEnd - 1) == '.' || text.charAt(hostEnd - 1) == '-')) {
            hostEnd--;
        }
        if (hostEnd < length && text.charAt(hostEnd) == '@') {
            return hostEnd + 1; // the local part of an e-mail address
        }
        boolean www = text.regionMatches(true, start, "www.", 0, 4);
        if (!DomainNames.isDomain(text, start, hostEnd, !www)) {
            return hostEnd;
        }
        int end = hostEnd;
        if (end + 1 < length && text.charAt(end) == ':' && CharClasses.isDigit(text.charAt(end + 1))) {
            end++;
            while (end < length && CharClasses.isDigit(text.charAt(end))) {
                end++;
            }
        }
        if (end < length && (text.charAt(end) == '/' || text.charAt(end) == '?' || text.charAt(end) == '#')) {
            end = trimTail(text, hostEnd, pathEnd(text, end));
        }
        out.add(new PiiSpan(start, end, PiiType.URL.name()));
        return end;
    }

    private static int skipHost(String text, int dot) {
        int end = dot + 1;
        while (end < text.length() && CharClasses.isHostChar(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private static int pathEnd(String text, int from) {
        int end = from;
        while (end < text.length()) {
            char c = text.charAt(end);
            if (Character.isWhitespace(c) || c == '"' || c == '<' || c == '>' || c == '\'' || c == '`') {
                break;
            }
            end++;
        }
        return end;
    }

    /** Drops trailing punctuation ({@code . , ; : ! ?}) and closing brackets with no opener inside. */
    private static int trimTail(String text, int start, int end) {
        while (end > start) {
            char c = text.charAt(end - 1);
            if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?') {
                end--;
            } else if ((c == ')' && count(text, start, end, '(') < count(text, start, end, ')'))
                    || (c == ']' && count(text, start, end, '[') < count(text, start, end, ']'))) {
                end--;
            } else {
                break;
            }
        }
        return end;
    }

    private static int count(String text, int start, int end, char c) {
        int n = 0;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
