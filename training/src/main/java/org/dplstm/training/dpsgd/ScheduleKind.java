package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the learning rate moves over the planned steps (after an optional linear warm-up). */
public enum ScheduleKind {
    /** The same rate at every step. */
    CONSTANT,
    /** Half a cosine from the base rate down to 1% of it at the last planned step. */
    COSINE,
    /** The rate multiplied by a factor every fixed number of steps. */
    STEP;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ScheduleKind parse(String text) {
        return EnumNames.parse(ScheduleKind.class, "schedule", text);
    }
}
