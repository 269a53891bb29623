package org.dplstm.data.sanitize;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The built-in kinds of personal data, each replaced by its placeholder, e.g. {@code [EMAIL]}. */
public enum PiiType {
    EMAIL,
    PHONE,
    CARD,
    IBAN,
    SSN,
    IP,
    URL,
    PERSON,
    ADDRESS,
    DATE;

    /**
     * Parses a comma-separated list of type names in any case ("email,phone,person"), or "all", or
     * "none" (no redaction).
     */
    public static Set<PiiType> parseList(String spec) {
        String trimmed = spec == null ? "" : spec.strip();
        if (trimmed.equalsIgnoreCase("all")) {
            return EnumSet.allOf(PiiType.class);
        }
        if (trimmed.equalsIgnoreCase("none")) {
            return EnumSet.noneOf(PiiType.class);
        }
        EnumSet<PiiType> types = EnumSet.noneOf(PiiType.class);
        for (String part : trimmed.split(",", -1)) {
            String name = part.strip().toUpperCase(Locale.ROOT);
            try {
                types.add(PiiType.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pii types must be a comma-separated list of "
                        + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                        + " (or all, or none), was " + spec);
            }
        }
        return types;
    }

    /** The token that replaces a detected span: {@code [} + name + {@code ]}. */
    public String placeholder() {
        return "[" + name() + "]";
    }
}
