package org.dplstm.data.sanitize;

import java.util.List;

/**
 * IPv6 addresses: triggered by a colon, the surrounding run of hex digits, colons and dots (two
 * colons at least) is parsed strictly by {@link IpAddresses#isIpv6}. Times such as 10:30:45 fail
 * the parse (three groups, no {@code ::}).
 */
final class Ipv6Finder implements SpanFinder {

    @Override
    public void find(String text, List<PiiSpan> out) {
        int length = text.length();
        int colon = text.indexOf(':');
        while (colon >= 0) {
            int start = colon;
            while (start > 0 && isAddressChar(text.charAt(start - 1))) {
                start--;
            }
            int end = colon + 1;
            while (end < length && isAddressChar(text.charAt(end))) {
                end++;
            }
            while (end > start && text.charAt(end - 1) == '.') {
                end--;
            }
            if (end > start && text.charAt(end - 1) == ':' && (end - start < 2 || text.charAt(end - 2) != ':')) {
                end--; // "…:1:" at a sentence's "Address:" boundary is not part of the address
            }
            boolean bounded = (start == 0 || !CharClasses.isWordChar(text.charAt(start - 1)))
                    && (end == length || !CharClasses.isWordChar(text.charAt(end)));
            if (bounded && colons(text, start, end) >= 2 && IpAddresses.isIpv6(text.substring(start, end))) {
                out.add(new PiiSpan(start, end, PiiType.IP.name()));
            }
            colon = text.indexOf(':', Math.max(end, colon + 1));
        }
    }

    private static boolean isAddressChar(char c) {
        return IpAddresses.isHex(c) || c == ':' || c == '.';
    }

    private static int colons(String text, int start, int end) {
        int n = 0;
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == ':') {
                n++;
            }
        }
        return n;
    }
}
