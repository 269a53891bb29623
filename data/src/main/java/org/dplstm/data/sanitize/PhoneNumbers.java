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

    PhoneNumbers(String defaultRegion) {
        String region = defaultRegion.toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException(
                    "phone region must be a two-letter region code such as US, GB or DE, was " + defaultRegion);
        }
        this.defaultRegion = region;
    }

    boolean isValid(String candidate) {
        try {
            return UTIL.isValidNumber(UTIL.parse(candidate, defaultRegion));
        } catch (NumberParseException e) {
            return false;
        }
    }
}
