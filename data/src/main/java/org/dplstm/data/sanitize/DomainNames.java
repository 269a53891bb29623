package org.dplstm.data.sanitize;

import java.util.Set;

/** Host names: dot-separated labels of letters, digits and inner hyphens, ending in a TLD. */
final class DomainNames {
    /**
     * Top-level domains accepted in a bare host name (no scheme, no {@code www.}). ccTLDs that
     * are common English words or file extensions (in, it, is, no, to, be, me, py, sh, md...)
     * are left out: in prose "read.it" or "setup.py" is far likelier than a web address.
     */
    private static final Set<String> BARE_HOST_TLDS = Set.of(
            "com", "org", "net", "edu", "gov", "mil", "int", "io", "co", "info", "biz", "app", "dev",
            "ai", "uk", "de", "fr", "es", "nl", "ca", "au", "jp", "cn", "br", "ru", "ch", "se", "eu",
            "tv", "xyz", "online", "shop", "site", "tech", "store", "blog", "cloud", "news", "pl",
            "dk", "fi", "ie", "nz", "mx", "ar", "za", "kr", "sg", "hk", "cz", "pt", "gr", "il", "ly");

    private DomainNames() {}

    /**
     * True if {@code text[start, end)} is a host name of two or more labels with an alphabetic
     * TLD of 2+ letters; if {@code bareHost}, the TLD must also be lower-case and in the list above.
     */
    static boolean isDomain(String text, int start, int end, boolean bareHost) {
        if (end - start < 4 || end - start > 253) {
            return false;
        }
        int labels = 0;
        int labelStart = start;
        for (int i = start; i <= end; i++) {
            if (i == end || text.charAt(i) == '.') {
                int length = i - labelStart;
                if (length == 0 || length > 63 || text.charAt(labelStart) == '-' || text.charAt(i - 1) == '-') {
                    return false;
                }
                labels++;
                if (i < end) {
                    labelStart = i + 1;
                }
            } else if (!CharClasses.isAsciiAlnum(text.charAt(i)) && text.charAt(i) != '-') {
                return false;
            }
        }
        if (labels < 2) {
            return false;
        }
        int tldLength = end - labelStart;
        if (tldLength < 2) {
            return false;
        }
        for (int i = labelStart; i < end; i++) {
            if (!CharClasses.isAsciiLetter(text.charAt(i))) {
                return false;
            }
        }
        return !bareHost || BARE_HOST_TLDS.contains(text.substring(labelStart, end));
    }
}
