package org.dplstm.data.sanitize;

import java.util.Arrays;
import java.util.List;

/**
 * The cheap combined scan for number-shaped personal data. It finds runs of digit groups joined
 * by short separators ({@code space - . /}, parentheses, a leading {@code +}) and validates them
 * as, in order, an IPv4 dotted quad, an SSN (nine bare digits only after a cue such as "SSN"), a
 * card number (scheme prefix + Luhn) or a phone number (libphonenumber). Where a whole run fails,
 * shorter runs are tried, but only whole digit groups: a run is cut only at white space where the
 * blocks on either side differ in length, so "card 4111 1111 1111 1111 12 items" still finds the
 * card while in the order number "6011 3680 6796 9899" no Luhn-valid prefix is taken for a card
 * (either the whole group is personal data or none of it is). Digits spaced one by one ("4 1 1 1
 * ...") are one group. A digit run right after two letters at a word start is tried as an IBAN
 * (mod 97); an IBAN-shaped run that fails its check is skipped whole, so its digits are not read
 * as a phone.
 */
final class NumberFinder implements SpanFinder {
    /** At most this many whole digit groups (chains of equal blocks) are joined into one candidate. */
    private static final int MAX_CHAINS = 8;

    private final boolean findIp;
    private final boolean findSsn;
    private final boolean findCard;
    private final boolean findPhone;
    private final boolean findIban;
    private final PhoneNumbers phones;

    NumberFinder(boolean findIp, boolean findSsn, boolean findCard, boolean findPhone, boolean findIban,
            PhoneNumbers phones) {
        this.findIp = findIp;
        this.findSsn = findSsn;
        this.findCard = findCard;
        this.findPhone = findPhone;
        this.findIban = findIban;
        this.phones = phones;
    }

    @Override
    public void find(String text, List<PiiSpan> out) {
        int length = text.length();
        int i = 0;
        Groups groups = new Groups();
        while (i < length) {
            if (!CharClasses.isDigit(text.charAt(i))) {
                i++;
                continue;
            }
            if (i > 0 && CharClasses.isWordChar(text.charAt(i - 1))) {
                if (findIban && i >= 2 && CharClasses.isAsciiLetter(text.charAt(i - 1))
                        && CharClasses.isAsciiLetter(text.charAt(i - 2))
                        && (i == 2 || !CharClasses.isWordChar(text.charAt(i - 3)))) {
                    int end = tryIban(text, i - 2, out);
                    if (end > i) {
                        i = end;
                        continue;
                    }
                }
                while (i < length && CharClasses.isWordChar(text.charAt(i))) {
                    i++;
                }
                continue;
            }
            i = scanNumber(text, i, groups, out);
        }
    }

    /** Returns the end of the IBAN-shaped run at {@code start}, or {@code start} if there is none. */
    private int tryIban(String text, int start, List<PiiSpan> out) {
        int expected = Iban.lengthFor(text.substring(start, start + 2));
        if (expected == 0) {
            return start;
        }
        StringBuilder compact = new StringBuilder(expected);
        int i = start;
        int end = start;
        int length = text.length();
        while (i < length && compact.length() < expected) {
            char c = text.charAt(i);
            if (CharClasses.isAsciiAlnum(c)) {
                compact.append(c);
                i++;
                end = i;
            } else if (c == ' ' && i + 1 < length && CharClasses.isAsciiAlnum(text.charAt(i + 1)) && compact.length() >= 4) {
                i++;
            } else {
                break;
            }
        }
        boolean bounded = end == length || !CharClasses.isWordChar(text.charAt(end));
        if (bounded && compact.length() == expected && Iban.isValid(compact.toString())) {
            out.add(new PiiSpan(start, end, PiiType.IBAN.name()));
            return end;
        }
        // IBAN-shaped but invalid (e.g. a wrong check digit): not personal data, and not a phone either.
        return compact.length() >= 12 ? end : start;
    }

    /** Scans the digit groups starting at {@code i}; returns where scanning continues. */
    private int scanNumber(String text, int i, Groups groups, List<PiiSpan> out) {
        int length = text.length();
        groups.clear();
        int pos = i;
        int groupStart = i;
        if (i > 0 && text.charAt(i - 1) == '+' && (i == 1 || !CharClasses.isWordChar(text.charAt(i - 2)))) {
            groupStart = i - 1;
        } else if (i > 1 && text.charAt(i - 1) == ' ' && text.charAt(i - 2) == '+'
                && (i == 2 || !CharClasses.isWordChar(text.charAt(i - 3)))) {
            groupStart = i - 2; // "+ 4 4 7 ...": spaced digit by digit, the plus too
        } else if (i > 0 && text.charAt(i - 1) == '(') {
            groupStart = i - 1;
        }
        boolean newSegment = true;
        while (true) {
            boolean paren = text.charAt(groupStart) == '(';
            while (pos < length && CharClasses.isDigit(text.charAt(pos))) {
                pos++;
            }
            int groupEnd = pos;
            if (pos < length && text.charAt(pos) == ')' && paren) {
                groupEnd = ++pos;
            } else if (paren) {
                groupStart++; // an unmatched '(' is not part of the number
            }
            groups.add(groupStart, groupEnd, newSegment);
            int separatorStart = pos;
            boolean whitespace = false;
            while (pos < length && pos - separatorStart < 3 && isSeparator(text.charAt(pos))) {
                whitespace |= text.charAt(pos) == ' ';
                pos++;
            }
            boolean afterParen = text.charAt(groupEnd - 1) == ')';
            if (pos < length && text.charAt(pos) == '(' && pos + 1 < length && CharClasses.isDigit(text.charAt(pos + 1))) {
                groupStart = pos;
                pos++;
            } else if (pos < length && CharClasses.isDigit(text.charAt(pos)) && (pos > separatorStart || afterParen)) {
                groupStart = pos;
            } else {
                pos = groupEnd;
                break;
            }
            newSegment = whitespace;
        }
        int end = pos;
        if (end < length && CharClasses.isWordChar(text.charAt(end))) {
            // "… 10am", "5th": the last group is part of a word; drop it and skip the word.
            groups.removeLast();
            while (end < length && CharClasses.isWordChar(text.charAt(end))) {
                end++;
            }
        }
        if (groups.size == 1 && text.charAt(groups.start[0]) == '(') {
            groups.start[0]++; // "(4111111111111111)": the brackets are punctuation around one number
            groups.end[0]--;
        }
        if (groups.size > 0) {
            evaluate(text, groups, out);
        }
        return Math.max(end, i + 1);
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '-' || c == '.' || c == '/';
    }

    /**
     * Tries runs of whole chains, longest first from each start, left to right. Segments are
     * separated by white space; neighbouring segments belong to one chain when the blocks that
     * meet have the same number of digits ("6011 3680", "4 1 1 1"), so a candidate never takes
     * part of a uniformly grouped number.
     */
    private void evaluate(String text, Groups groups, List<PiiSpan> out) {
        int[] chainFirst = new int[groups.size + 1];
        int chains = 0;
        for (int g = 0; g < groups.size; g++) {
            boolean startsChain = g == 0
                    || (groups.newSegment[g] && digitsIn(text, groups, g - 1) != digitsIn(text, groups, g));
            if (startsChain) {
                chainFirst[chains++] = g;
            }
        }
        chainFirst[chains] = groups.size;
        int a = 0;
        while (a < chains) {
            boolean found = false;
            for (int b = Math.min(chains, a + MAX_CHAINS); b > a; b--) {
                int firstGroup = chainFirst[a];
                int lastGroup = chainFirst[b] - 1;
                PiiType type = classify(text, groups, firstGroup, lastGroup);
                if (type != null) {
                    out.add(new PiiSpan(groups.start[firstGroup], groups.end[lastGroup], type.name()));
                    a = b;
                    found = true;
                    break;
                }
            }
            if (!found) {
                a++;
            }
        }
    }

    private static int digitsIn(String text, Groups groups, int g) {
        int digits = 0;
        for (int c = groups.start[g]; c < groups.end[g]; c++) {
            digits += CharClasses.isDigit(text.charAt(c)) ? 1 : 0;
        }
        return digits;
    }

    private PiiType classify(String text, Groups groups, int first, int last) {
        int count = last - first + 1;
        StringBuilder digits = new StringBuilder(24);
        boolean decorated = false; // a '+' or parentheses: only phone numbers have them
        char separator = 0;
        boolean uniformSingleSeparator = true;
        boolean slash = false;
        int shortestGroup = Integer.MAX_VALUE;
        int longestGroup = 0;
        int singleDigitGroups = 0;
        for (int g = first; g <= last; g++) {
            int groupDigits = 0;
            for (int c = groups.start[g]; c < groups.end[g]; c++) {
                char ch = text.charAt(c);
                if (CharClasses.isDigit(ch)) {
                    digits.append(ch);
                    groupDigits++;
                } else {
                    decorated = true;
                }
            }
            shortestGroup = Math.min(shortestGroup, groupDigits);
            longestGroup = Math.max(longestGroup, groupDigits);
            singleDigitGroups += groupDigits == 1 ? 1 : 0;
            if (g > first) {
                int sepStart = groups.end[g - 1];
                int sepEnd = groups.start[g];
                if (sepEnd - sepStart != 1) {
                    uniformSingleSeparator = false;
                } else {
                    char sep = text.charAt(sepStart);
                    if (separator == 0) {
                        separator = sep;
                    } else if (sep != separator) {
                        uniformSingleSeparator = false;
                    }
                }
                for (int c = sepStart; c < sepEnd; c++) {
                    slash |= text.charAt(c) == '/';
                }
            }
        }
        int digitCount = digits.length();
        boolean plain = !decorated && uniformSingleSeparator;
        // "4 1 1 1 ...": digits spaced one by one; otherwise at most one one-digit block (a country
        // or trunk code such as "+1" or "1-800"), so "1 2 3 4 5 6 7 8 9 10" is no phone number.
        boolean spacedOneByOne = count > 1 && longestGroup == 1;
        if (findIp && plain && count == 4 && separator == '.' && IpAddresses.isIpv4(text, groups.start[first], groups.end[last])) {
            return PiiType.IP;
        }
        if (findSsn && plain && count == 3 && (separator == '-' || separator == ' ') && digitCount == 9) {
            String d = digits.toString();
            int g1 = groups.end[first] - groups.start[first];
            int g2 = groups.end[first + 1] - groups.start[first + 1];
            if (g1 == 3 && g2 == 2 && Ssn.isValid(d.substring(0, 3), d.substring(3, 5), d.substring(5))) {
                return PiiType.SSN;
            }
        }
        if (findSsn && plain && count == 1 && digitCount == 9) {
            String d = digits.toString();
            if (Ssn.isValid(d.substring(0, 3), d.substring(3, 5), d.substring(5))
                    && Ssn.hasCueBefore(text, groups.start[first])) {
                return PiiType.SSN;
            }
        }
        if (findCard && plain && digitCount >= 12 && digitCount <= 19 && (count == 1 || separator == ' ' || separator == '-')
                && (count == 1 || shortestGroup >= 3 || spacedOneByOne) && CardNumbers.isCardNumber(digits.toString())) {
            return PiiType.CARD;
        }
        if (findPhone && !slash && digitCount >= 7 && digitCount <= 15 && (singleDigitGroups <= 1 || spacedOneByOne)
                && phones.isValid(text.substring(groups.start[first], groups.end[last]), digitCount)) {
            return PiiType.PHONE;
        }
        return null;
    }

    /** The digit groups of one candidate run (reused across runs to avoid garbage). */
    private static final class Groups {
        int[] start = new int[16];
        int[] end = new int[16];
        boolean[] newSegment = new boolean[16];
        int size;

        void clear() {
            size = 0;
        }

        void add(int groupStart, int groupEnd, boolean startsSegment) {
            if (size == start.length) {
                start = Arrays.copyOf(start, size * 2);
                end = Arrays.copyOf(end, size * 2);
                newSegment = Arrays.copyOf(newSegment, size * 2);
            }
            start[size] = groupStart;
            end[size] = groupEnd;
            newSegment[size] = startsSegment;
            size++;
        }

        void removeLast() {
            size--;
        }
    }
}
