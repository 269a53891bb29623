package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.dplstm.training.model.FrozenPart;

/**
 * The optional techniques, each off by default and then absent from run.json (so runs written
 * before it existed read the same): an exponential moving average of the weights for evaluation
 * and the saved model ({@link WeightAverage}; decay 0 is off), parameters left frozen after a warm
 * start, adaptive clipping ({@link AdaptiveClipping}: the clip norm starts at the max grad norm
 * and follows this quantile of the norms; null is a fixed clip norm), and public preconditioning
 * ({@link PublicPreconditioner}: the shipped public text whose gradients scale each coordinate
 * before clipping, e.g. {@code public:latin-char-lm}; null is off). Validated here
 * (docs/ARCHITECTURE.md, "Configuration").
 */
@JsonIgnoreProperties(ignoreUnknown = true) // the other records' keys share the flat object
@JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = TechniqueSettings.Off.class)
@JsonPropertyOrder({"ema_decay", "freeze", "clip", "clip_quantile", "precondition"})
public record TechniqueSettings(
        @JsonProperty("ema_decay") double emaDecay,
        @JsonProperty("freeze") FrozenPart freeze,
        @JsonProperty("clip_quantile") Double clipQuantile,
        @JsonProperty("precondition") String precondition) {

    static final TechniqueSettings NONE = new TechniqueSettings(0, FrozenPart.NONE, null, null);
    /** How a shipped model's public text is named: {@code public:NAME}. */
    public static final String PUBLIC_PREFIX = "public:";

    public TechniqueSettings {
        if (!(emaDecay == 0 || (emaDecay > 0 && emaDecay < 1))) {
            throw new IllegalArgumentException("ema decay must be 0 (off) or in (0, 1), was " + emaDecay);
        }
        if (freeze == null) {
            freeze = FrozenPart.NONE; // absent: nothing frozen
        }
        if (clipQuantile != null && !(clipQuantile > 0 && clipQuantile < 1)) {
            throw new IllegalArgumentException("clip quantile must be in (0, 1), was " + clipQuantile);
        }
        if (precondition != null && !(precondition.startsWith(PUBLIC_PREFIX)
                && precondition.length() > PUBLIC_PREFIX.length())) {
            throw new IllegalArgumentException("precondition must be public:NAME (a shipped model's public text), was "
                    + precondition);
        }
    }

    /** The shipped model named by a precondition source {@code public:NAME}: NAME. */
    public static String publicModelOf(String precondition) {
        return precondition.substring(PUBLIC_PREFIX.length());
    }

    /** Stored beside the quantile, for the reader of run.json; adaptive clipping is on when a quantile is set. */
    @JsonProperty(value = "clip", access = JsonProperty.Access.READ_ONLY)
    String clip() {
        return clipQuantile == null ? null : "adaptive";
    }

    /** Jackson's filter for the keys of techniques that are off: true leaves the key out. */
    static final class Off {
        @Override
        public boolean equals(Object value) {
            return value == null || Double.valueOf(0).equals(value) || value == FrozenPart.NONE;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }
}
