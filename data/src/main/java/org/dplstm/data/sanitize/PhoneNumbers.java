package org.dplstm.data.sanitize;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Validates candidate phone numbers with libphonenumber: international numbers ({@code +44 ...})
 * in any region, national formats in the configured regions (one, or several comma-separated for
 * data from several countries: a candidate counts if it is valid in any of them). libphonenumber
 * only ever sees short candidate spans, never whole texts (its own text scan is far too slow for
 * bulk data).
 */
final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final List<String> regions;
    private final boolean nanpOnly;

    /** {@code regions}: one region code, or several separated by commas ("US,DE,GB"). */
    PhoneNumbers(String regions) {
        List<String> parsed = new ArrayList<>();
        for (String part : regions.split(",", -1)) {
            String region = part.strip().toUpperCase(Locale.ROOT);
            if (!UTIL.getSupportedRegions().contains(region)) {
                throw new IllegalArgumentException("phone region must be a two-letter region code such as US, GB or DE"
                        + " (several separated by commas), was " + regions);
            }
            if (!parsed.contains(region)) {
                parsed.add(region);
            }
        }
        this.regions = List.copyOf(parsed);
        this.nanpOnly = parsed.stream().allMatch(UTIL::isNANPACountry);
    }

    /**
     * True if libphonenumber parses {@code candidate} as a valid number (for its region).
     *
     * @param digitCount the number of digits in {@code candidate}
     */
    boolean isValid(String candidate, int digitCount) {
        // A cheap necessary condition first: North American national numbers have 10 digits
        // (11 with the trunk prefix 1); this spares libphonenumber most non-phone candidates.
        if (nanpOnly && candidate.charAt(0) != '+' && !(digitCount == 10 || (digitCount == 11 && firstDigit(candidate) == '1'))) {
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

    /**
     * True if {@code candidate} is a valid number in one of the regions, or, written with an
     * explicit international prefix ({@code +44 ...}), a possible one: libphonenumber's
     * validity lags behind newly allocated ranges (some +44 7... mobiles), and with a '+' the
     * text says it is a phone number, so recall wins.
     */
    boolean isValid(String candidate) {
        boolean international = candidate.charAt(0) == '+';
        for (String region : regions) {
            try {
                Phonenumber.PhoneNumber number = UTIL.parse(candidate, region);
                if (UTIL.isValidNumber(number) || (international
                        && UTIL.isPossibleNumberWithReason(number) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE)) {
                    return true;
                }
            } catch (NumberParseException e) {
                // not a number in this region's plan; try the next
            }
            if (international) {
                return false; // the region plays no part in parsing an international number
            }
        }
        return false;
    }
}
