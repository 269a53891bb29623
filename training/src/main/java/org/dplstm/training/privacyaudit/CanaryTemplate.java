package org.dplstm.training.privacyaudit;

import java.util.Locale;
import org.dplstm.privacy.Checks;

/**
 * A canary's text: a fixed prefix followed by a secret of {@code digits} decimal digits, written
 * as digit words ("my account pin is four eight two nine"). Words rather than numerals keep the
 * secret out of the PII redactor's way (a run of digits may be read as a phone number), so the
 * audit measures what DP-SGD lets through, not what sanitization removed. The candidate space R
 * is all 10^digits secrets (Carlini et al. 2019, §3).
 */
public record CanaryTemplate(String prefix, int digits) {

    public static final String DEFAULT_PREFIX = "my account pin is";
    static final String[] DIGIT_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    /** 10^18 still fits a long; far beyond what any audit enumerates or needs. */
    public static final int MAX_DIGITS = 18;

    public CanaryTemplate {
        Checks.atLeast("secret digits", digits, 1);
        if (digits > MAX_DIGITS) {
            throw new IllegalArgumentException("secret digits must be in [1, " + MAX_DIGITS + "], was " + digits);
        }
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("canary prefix must not be blank, was '" + prefix + "'");
        }
    }

    public static CanaryTemplate withDigits(int digits) {
        return new CanaryTemplate(DEFAULT_PREFIX, digits);
    }

    /** |R| = 10^digits. */
    public long spaceSize() {
        long size = 1;
        for (int i = 0; i < digits; i++) {
            size *= 10;
        }
        return size;
    }

    public double log2SpaceSize() {
        return digits * Math.log(10) / Math.log(2);
    }

    /** The text of secret {@code secret} in [0, 10^digits), leading zeros written out. */
    public String textFor(long secret) {
        if (secret < 0 || secret >= spaceSize()) {
            throw new IllegalArgumentException("secret must be in [0, " + spaceSize() + "), was " + secret);
        }
        String number = String.format(Locale.ROOT, "%0" + digits + "d", secret);
        StringBuilder text = new StringBuilder(prefix);
        for (int i = 0; i < number.length(); i++) {
            text.append(' ').append(DIGIT_WORDS[number.charAt(i) - '0']);
        }
        return text.toString();
    }
}
