package org.dplstm.training.privacyaudit;

import java.util.Locale;
import java.util.Objects;
import org.dplstm.privacy.Checks;

/**
 * A canary's text: a fixed prefix followed by a secret of {@code digits} decimal digits, each
 * digit written as a word ("my account pin is four eight two nine") or as a numeral ("my account
 * pin is 4 8 2 9"). Words keep the secret out of the PII redactor's way (a run of digits may be
 * read as a phone number) and are one token each for a word-level model. A character-level
 * language model needs numerals instead: every candidate then has the same number of characters,
 * so the log-perplexity that ranks them is not biased towards short digit words ("one" against
 * "seven"). The candidate space R is all 10^digits secrets (Carlini et al. 2019, §3).
 */
public record CanaryTemplate(String prefix, int digits, Spelling spelling) {

    /** How the digits of a secret are written, separated by single spaces. */
    public enum Spelling {
        WORDS,
        NUMERALS
    }

    public static final String DEFAULT_PREFIX = "my account pin is";
    static final String[] DIGIT_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    /** 10^18 still fits a long; far beyond what any audit enumerates or needs. */
    public static final int MAX_DIGITS = 18;

    /** Digits written as words. */
    public CanaryTemplate(String prefix, int digits) {
        this(prefix, digits, Spelling.WORDS);
    }

    public CanaryTemplate {
        Checks.atLeast("secret digits", digits, 1);
        if (digits > MAX_DIGITS) {
            throw new IllegalArgumentException("secret digits must be in [1, " + MAX_DIGITS + "], was " + digits);
        }
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("canary prefix must not be blank, was '" + prefix + "'");
        }
        Objects.requireNonNull(spelling, "spelling");
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
            text.append(' ').append(digitText(number.charAt(i) - '0'));
        }
        return text.toString();
    }

    /** How digit {@code digit} is written in a secret: "seven" or "7". */
    public String digitText(int digit) {
        return spelling == Spelling.WORDS ? DIGIT_WORDS[digit] : String.valueOf(digit);
    }
}
