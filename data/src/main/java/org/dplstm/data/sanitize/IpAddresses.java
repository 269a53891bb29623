package org.dplstm.data.sanitize;

/** Strict parsers for textual IPv4 (dotted quad) and IPv6 (RFC 4291 §2.2, with compression). */
public final class IpAddresses {
    private IpAddresses() {}

    /** True if {@code s[from, to)} is exactly four decimal octets 0-255 separated by dots. */
    public static boolean isIpv4(CharSequence s, int from, int to) {
        int octets = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4 && isDigit(s.charAt(i))) {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255) {
                return false;
            }
            octets++;
            if (i == to) {
                return octets == 4;
            }
            if (s.charAt(i) != '.' || octets == 4) {
                return false;
            }
            i++;
        }
    }

    public static boolean isIpv4(CharSequence s) {
        return isIpv4(s, 0, s.length());
    }

    /**
     * True if {@code s} is an IPv6 address: eight groups of 1-4 hex digits, at most one {@code
     * ::} standing for one or more zero groups, optionally ending in a dotted quad (two groups).
     */
    public static boolean isIpv6(CharSequence s) {
        int length = s.length();
        if (length < 2) {
            return false;
        }
        int groups = 0;
        boolean compressed = false;
        int i = 0;
        if (s.charAt(0) == ':') {
            if (s.charAt(1) != ':') {
                return false;
            }
            compressed = true;
            i = 2;
            if (i == length) {
                return true; // "::"
            }
        }
        while (i < length) {
            int start = i;
            while (i < length && i - start <= 4 && isHex(s.charAt(i))) {
                i++;
            }
            if (i < length && s.charAt(i) == '.') {
                // An embedded IPv4 address must be last and takes the place of two groups.
                return groups <= 6 && isIpv4(s, start, length) && (compressed ? groups <= 5 : groups == 6);
            }
            int digits = i - start;
            if (digits == 0 || digits > 4) {
                return false;
            }
            groups++;
            if (i == length) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < length && s.charAt(i) == ':') {
                if (compressed) {
                    return false; // "::" may appear once
                }
                compressed = true;
                i++;
                if (i == length) {
                    break;
                }
            } else if (i == length) {
                return false; // a single trailing ':'
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
