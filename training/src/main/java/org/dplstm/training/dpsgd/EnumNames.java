package org.dplstm.training.dpsgd;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parses the lower-case command-line names of this package's enums with one error format. */
final class EnumNames {

    private EnumNames() {}

    static <E extends Enum<E>> E parse(Class<E> type, String parameter, String text) {
        String allowed =
                Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining("|"));
        if (text != null) {
            for (E value : type.getEnumConstants()) {
                if (value.name().equalsIgnoreCase(text.trim())) {
                    return value;
                }
            }
        }
        throw new IllegalArgumentException(
                parameter + " must be one of " + allowed + ", was " + text);
    }
}
