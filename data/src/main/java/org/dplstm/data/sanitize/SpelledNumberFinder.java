package org.dplstm.data.sanitize;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Phone and card numbers written as digit words: "four one five five five five two six seven
 * one", "plus four four seven nine one one ...", English with "double" and "triple", and the
 * digit words of German, Spanish and French. A run of at least seven digit words (numerals and
 * commas or hyphens may sit between them) becomes digits and is validated as a whole, as the
 * digit scan does (libphonenumber; scheme prefix and Luhn for cards, 13 to 19 digits). Shorter
 * runs ("one or two"), and runs that fail validation, stay.
 */
final class SpelledNumberFinder implements SpanFinder {
    private static final int MIN_DIGITS = 7;
    private static final int MAX_DIGITS = 19;
    /** Digit words packed by {@link #pack} (sorted) and their digits: a lookup without garbage. */
    private static final long[] KEYS;
    private static final int[] VALUES;

    static {
        String[][] words = {
            {"zero", "oh", "null", "cero", "zéro"},
            {"one", "eins", "uno", "un", "une"},
            {"two", "zwei", "zwo", "dos", "deux"},
            {"three", "drei", "tres", "trois"},
            {"four", "vier", "cuatro", "quatre"},
            {"five", "fünf", "funf", "cinco", "cinq"},
            {"six", "sechs", "seis"},
            {"seven", "sieben", "siete", "sept"},
            {"eight", "acht", "ocho", "huit"},
            {"nine", "neun", "nueve", "neuf"}};
        TreeMap<Long, Integer> sorted = new TreeMap<>();
        for (int digit = 0; digit < words.length; digit++) {
            for (String word : words[digit]) {
                sorted.put(pack(word, 0, word.length()), digit);
            }
        }
        KEYS = sorted.keySet().stream().mapToLong(Long::longValue).toArray();
        VALUES = sorted.values().stream().mapToInt(Integer::intValue).toArray();
    }

    private final boolean findCard;
    private final boolean findPhone;
    private final PhoneNumbers phones;

    SpelledNumberFinder(boolean findCard, boolean findPhone, PhoneNumbers phones) {
        this.findCard = findCard;
        this.findPhone = findPhone;
        this.phones = phones;
    }

    @Override
    public void find(String text, List<PiiSpan> out) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            if (!Character.isLetter(text.charAt(i)) || (i > 0 && CharClasses.isWordChar(text.charAt(i - 1)))) {
                i++;
                continue;
            }
            int wordEnd = wordEnd(text, i);
            int digit = digitOf(text, i, wordEnd);
            boolean plus = digit < 0 && isPlus(text, i, wordEnd);
            if (digit < 0 && !plus) {
                i = wordEnd;
                continue;
            }
            i = scanRun(text, i, plus, out);
        }
    }

    /** Reads one run of digit words from {@code start}; returns where scanning continues. */
    private int scanRun(String text, int start, boolean plus, List<PiiSpan> out) {
        StringBuilder digits = new StringBuilder(MAX_DIGITS + 1);
        if (plus) {
            digits.append('+');
        }
        int i = plus ? wordEnd(text, start) : start;
        int end = i;
        int repeat = 1;
        int length = text.length();
        while (true) {
            int next = skipSeparators(text, i);
            if (next >= length || next == i && i != start) {
                break;
            }
            char c = text.charAt(next);
            if (CharClasses.isDigit(c) && (next + 1 == length || !CharClasses.isWordChar(text.charAt(next + 1)))) {
                appendRepeated(digits, c - '0', repeat);
                repeat = 1;
                i = end = next + 1;
                continue;
            }
            if (!Character.isLetter(c)) {
                break;
            }
            int wordEnd = wordEnd(text, next);
            int digit = digitOf(text, next, wordEnd);
            int multiple = multipleOf(text, next, wordEnd);
            if (digit >= 0 && !(digit == 0 && text.regionMatches(true, next, "oh", 0, 2) && digitCount(digits) == 0)) {
                appendRepeated(digits, digit, repeat);
                repeat = 1;
                i = end = wordEnd;
            } else if (multiple > 0 && repeat == 1) {
                repeat = multiple;
                i = wordEnd;
            } else {
                break;
            }
            if (digits.length() > MAX_DIGITS + 1) {
                return end;
            }
        }
        int count = digitCount(digits);
        if (count >= MIN_DIGITS && count <= MAX_DIGITS) {
            PiiType type = classify(digits.toString(), count);
            if (type != null) {
                out.add(new PiiSpan(start, end, type.name()));
            }
        }
        return Math.max(end, start + 1);
    }

    /** "plus" (English, German, French), "más" or "mas" (Spanish): the international prefix. */
    private static boolean isPlus(String text, int start, int end) {
        int length = end - start;
        return (length == 4 && text.regionMatches(true, start, "plus", 0, 4))
                || (length == 3 && (text.regionMatches(true, start, "más", 0, 3) || text.regionMatches(true, start, "mas", 0, 3)));
    }

    private PiiType classify(String digits, int count) {
        if (findCard && digits.charAt(0) != '+' && count >= 13 && CardNumbers.isCardNumber(digits)) {
            return PiiType.CARD;
        }
        if (findPhone && count <= 15 && phones.isValid(digits, count)) {
            return PiiType.PHONE;
        }
        return null;
    }

    private static int digitCount(StringBuilder digits) {
        return digits.length() > 0 && digits.charAt(0) == '+' ? digits.length() - 1 : digits.length();
    }

    private static void appendRepeated(StringBuilder digits, int digit, int times) {
        for (int t = 0; t < times; t++) {
            digits.append((char) ('0' + digit));
        }
    }

    /** Spaces, commas and hyphens between digit words. */
    private static int skipSeparators(String text, int i) {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',' || text.charAt(i) == '-')) {
            i++;
        }
        return i;
    }

    private static int wordEnd(String text, int i) {
        while (i < text.length() && Character.isLetter(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int digitOf(String text, int start, int end) {
        if (end - start < 2 || end - start > 6) {
            return -1;
        }
        long key = pack(text, start, end);
        int at = key < 0 ? -1 : Arrays.binarySearch(KEYS, key);
        return at < 0 ? -1 : VALUES[at];
    }

    /** Up to seven lower-cased Latin-1 letters in one long; -1 for anything else. */
    private static long pack(String text, int start, int end) {
        long key = 0;
        for (int i = start; i < end; i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (c > 0xFF) {
                return -1;
            }
            key = (key << 8) | c;
        }
        return key;
    }

    /** "double" 2, "triple" 3 (English phone dictation), else 0. */
    private static int multipleOf(String text, int start, int end) {
        if (end - start == 6 && text.regionMatches(true, start, "double", 0, 6)) {
            return 2;
        }
        return end - start == 6 && text.regionMatches(true, start, "triple", 0, 6) ? 3 : 0;
    }
}
