package org.dplstm.data.sanitize;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * A detector from configuration: a regular expression, optionally confirmed by one of the
 * built-in validators; matches become {@code [NAME]}. Parse one from the command line with
 * {@link #parse(String)}: {@code NAME=REGEX} or {@code NAME:VALIDATOR=REGEX}.
 */
public final class CustomDetector {

    /** Checks a custom detector can apply to each regex match. */
    public enum Validator {
        LUHN,
        IBAN,
        SSN,
        IPV4,
        IPV6,
        PHONE;

        static Validator parse(String name) {
            for (Validator v : values()) {
                if (v.name().equalsIgnoreCase(name)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("detector validator must be one of "
                    + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    + ", was " + name);
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

    private final String name;
    private final Pattern pattern;
    private final Validator validator;

    private CustomDetector(String name, Pattern pattern, Validator validator) {
        this.name = name;
        this.pattern = pattern;
        this.validator = validator;
    }

    /**
     * A detector named {@code name} (upper case letters, digits, underscores), matching {@code
     * regex}, confirmed by {@code validator} ({@code luhn, iban, ssn, ipv4, ipv6, phone}) or none if null.
     */
    public static CustomDetector of(String name, String regex, String validator) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "detector name must be upper-case letters, digits and underscores (e.g. EMPLOYEE_ID), was " + name);
        }
        for (PiiType builtIn : PiiType.values()) {
            if (builtIn.name().equals(name)) {
                throw new IllegalArgumentException("detector name must differ from the built-in types, was " + name);
            }
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("detector " + name + " has an invalid regex: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
        return new CustomDetector(name, pattern, validator == null ? null : Validator.parse(validator));
    }

    /** Parses {@code NAME=REGEX} or {@code NAME:VALIDATOR=REGEX}. */
    public static CustomDetector parse(String spec) {
        int equals = spec.indexOf('=');
        if (equals <= 0 || equals == spec.length() - 1) {
            throw new IllegalArgumentException("detector must be NAME=REGEX or NAME:VALIDATOR=REGEX, was " + spec);
        }
        String head = spec.substring(0, equals);
        int colon = head.indexOf(':');
        return colon < 0
                ? of(head, spec.substring(equals + 1), null)
                : of(head.substring(0, colon), spec.substring(equals + 1), head.substring(colon + 1));
    }

    public String name() {
        return name;
    }

    public String placeholder() {
        return "[" + name + "]";
    }

    SpanFinder finder(PhoneNumbers phones) {
        return (text, out) -> {
            Matcher matcher = pattern.matcher(text);
            while (matcher.find()) {
                if (matcher.end() > matcher.start() && accepts(matcher.group(), phones)) {
                    out.add(new PiiSpan(matcher.start(), matcher.end(), name));
                }
            }
        };
    }

    private boolean accepts(String match, PhoneNumbers phones) {
        if (validator == null) {
            return true;
        }
        String digits = match.replaceAll("[^0-9]", "");
        return switch (validator) {
            case LUHN -> Luhn.isValid(digits);
            case IBAN -> Iban.isValid(match.replace(" ", ""));
            case SSN -> digits.length() == 9 && Ssn.isValid(digits.substring(0, 3), digits.substring(3, 5), digits.substring(5));
            case IPV4 -> IpAddresses.isIpv4(match);
            case IPV6 -> IpAddresses.isIpv6(match);
            case PHONE -> phones.isValid(match);
        };
    }

}
