package org.dplstm.data.sanitize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Locale;

/**
 * Validates candidate phone numbers with libphonenumber: international numbers ({@code +44 ...})
 * in any region, national formats in the default region. libphonenumber only ever sees short
 * candidate spans, never whole texts (its own text scan is far too slow for bulk data).
 */
final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final String defaultRegion;
    private final boolean nanp;

    PhoneNumbers(String defaultRegion) {
        String region = defaultRegion.toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException(
                    "phone region must be a two-letter region code such as US, GB or DE, was " + defaultRegion);
        }
        this.defaultRegion = region;
        this.nanp = UTIL.isNANPACountry(region);
    }

    /**
     * True if libphonenumber parses {@code candidate} as a valid number (for its region).
     *
     * @param digitCount the number of digits in {@code candidate}
     */
    boolean isValid(String candidate, int digitCount) {
        // A cheap necessary condition first: North American national numbers have 10 digits
        // (11 with the trunk prefix 1); this spares libphonenumber most non-phone candidates.
        if (nanp && candidate.charAt(0) != '+' && !(digitCount == 10 || (digitCount == 11 && firstDigit(candidate) == '1'))) {
            return false;
        }
        return isValid(candidate);
    }

    private static char firstDigit(String candidate) {
        for (int i = 0; i < candidate.length(); i++) {
            if (CharClasses.isDigit(candidate.charAt(i))) {
                return candidate.charAt(i);
            }
        }
        return 0;
    }

    boolean isValid(String candidate) {
        try {
            return UTIL.isValidNumber(UTIL.parse(candidate, defaultRegion));
        } catch (NumberParseException e) {
            return false;
        }
    }
}
