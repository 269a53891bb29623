package org.dplstm.data.sanitize;

/**
 * Recognises payment card numbers (PANs): an issuer prefix of a major scheme, a length that
 * scheme issues, and a valid Luhn check digit. The prefix and length rules cut the 1-in-10
 * chance that an arbitrary 13-19 digit number passes Luhn by accident.
 */
public final class CardNumbers {
    private CardNumbers() {}

    /** True if {@code digits} (digits only, no separators) is a plausible, Luhn-valid card number. */
    public static boolean isCardNumber(String digits) {
        int length = digits.length();
        if (length < 12 || length > 19 || !plausibleScheme(digits, length)) {
            return false;
        }
        return Luhn.isValid(digits);
    }

    private static boolean plausibleScheme(String d, int length) {
        int two = (d.charAt(0) - '0') * 10 + (d.charAt(1) - '0');
        int four = Integer.parseInt(d.substring(0, 4));
        return switch (d.charAt(0)) {
            case '4' -> length == 13 || length == 16 || length == 19; // Visa
            case '2' -> four >= 2221 && four <= 2720 && length == 16; // Mastercard 2-series
            case '5' -> (two >= 51 && two <= 55 && length == 16) // Mastercard
                    || (two == 50 || two >= 56) && length >= 12; // Maestro
            case '3' -> ((two == 34 || two == 37) && length == 15) // American Express
                    || (four >= 3528 && four <= 3589 && length >= 16) // JCB
                    || ((two == 30 || two == 36 || two == 38 || two == 39) && length >= 14); // Diners Club
            case '6' -> length >= 12; // Discover, UnionPay, Maestro, RuPay
            default -> false;
        };
    }
}
