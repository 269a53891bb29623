package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The update rule applied to the noisy averaged gradient (both are DJL's own optimizers). */
public enum OptimizerKind {
    /** Stochastic gradient descent, with momentum when the momentum is not 0. */
    SGD,
    /** Adam (Kingma and Ba 2015). */
    ADAM;

    /** The lower-case name used on the command line and in reports. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code sgd} or {@code adam} (any case); the error lists the allowed values. */
    @JsonCreator
    public static OptimizerKind parse(String text) {
        return EnumNames.parse(OptimizerKind.class, "optimizer", text);
    }
}
