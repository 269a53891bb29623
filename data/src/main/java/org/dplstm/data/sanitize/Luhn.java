package org.dplstm.data.sanitize;

/** The Luhn (mod 10) check digit algorithm of ISO/IEC 7812-1, used by payment card numbers. */
public final class Luhn {
    private Luhn() {}

    /** True if {@code digits} (ASCII digits only, at least 2) passes the Luhn check. */
    public static boolean isValid(CharSequence digits) {
        int length = digits.length();
        if (length < 2) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < length; i++) {
            int digit = digits.charAt(length - 1 - i) - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            if ((i & 1) == 1) { // every second digit from the right is doubled
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }
}
