package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.dplstm.privacy.Checks;

/**
 * How the steps are computed, not what they compute: the largest number of examples the engine
 * sees at once (memory only), where the Gaussian noise comes from (both kinds unpredictable, see
 * {@link NoiseKind}), and the seed of initialisation and data order (never of the noise or the
 * sampling, ARCHITECTURE §5b; null for none). Validated here; stored in run.json's flat
 * {@code dp_sgd} object (docs/ARCHITECTURE.md, "Configuration").
 */
@JsonIgnoreProperties(ignoreUnknown = true) // the other records' keys share the flat object
public record ExecutionSettings(
        @JsonProperty("micro_batch_size") int microBatchSize,
        @JsonProperty("noise") NoiseKind noise,
        @JsonProperty("seed") Long seed) {

    static final ExecutionSettings DEFAULT = new ExecutionSettings(128, NoiseKind.SECURE, null);

    public ExecutionSettings {
        Checks.atLeast("micro-batch size", microBatchSize, 1);
        if (noise == null) {
            NoiseKind.parse(null); // the parser's message: the allowed kinds
        }
    }
}
