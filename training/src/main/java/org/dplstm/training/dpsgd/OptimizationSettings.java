package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.dplstm.privacy.Checks;

/**
 * How the noisy averaged gradient moves the weights: the optimizer, its base learning rate and
 * SGD's momentum (unused by Adam), the schedule with its linear warm-up (0 = none), and for
 * {@link ScheduleKind#STEP} the factor applied every {@code stepEvery} steps. Post-processing of
 * the privatized gradient: none of these changes the privacy cost. Validated here; stored in
 * run.json's flat {@code dp_sgd} object (docs/ARCHITECTURE.md, "Configuration").
 */
@JsonIgnoreProperties(ignoreUnknown = true) // the other records' keys share the flat object
public record OptimizationSettings(
        @JsonProperty("learning_rate") double learningRate,
        @JsonProperty("optimizer") OptimizerKind optimizer,
        @JsonProperty("momentum") double momentum,
        @JsonProperty("schedule") ScheduleKind schedule,
        @JsonProperty("warm_up_steps") int warmUpSteps,
        @JsonProperty("step_every") int stepEvery,
        @JsonProperty("step_factor") double stepFactor) {

    // Adam at a learning rate that learns within ~100 noisy steps (tuned on real text).
    static final OptimizationSettings DEFAULT =
            new OptimizationSettings(0.05, OptimizerKind.ADAM, 0.9, ScheduleKind.CONSTANT, 0, 1000, 0.5);

    public OptimizationSettings {
        Checks.positive("learning rate", learningRate);
        Checks.finite("learning rate", learningRate);
        if (optimizer == null) {
            OptimizerKind.parse(null); // the parser's message: the allowed optimizers
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
        }
        if (schedule == null) {
            ScheduleKind.parse(null);
        }
        Checks.atLeast("warm-up steps", warmUpSteps, 0);
        Checks.atLeast("step schedule interval", stepEvery, 1);
        Checks.openUnitInterval("step schedule factor", stepFactor);
    }
}
