package org.dplstm.training.dpsgd;

import java.util.Map;

/**
 * The end of one epoch: logical steps done so far, ε spent so far (the run's total under its
 * accountant; NaN without privacy), and validation loss and accuracy (NaN without a validation
 * set), plus any further validation figures of the task by name (e.g. an encoder-decoder's
 * {@code bleu} and {@code chrf}; empty for other tasks). Training-set figures are deliberately
 * absent: they are not differentially private.
 */
public record EpochSummary(int epoch, long steps, double epsilon, double validLoss, double validAccuracy,
        Map<String, Double> validMetrics) {

    public EpochSummary {
        validMetrics = validMetrics == null ? Map.of() : Map.copyOf(validMetrics);
    }

    /** An epoch without further validation figures. */
    public EpochSummary(int epoch, long steps, double epsilon, double validLoss, double validAccuracy) {
        this(epoch, steps, epsilon, validLoss, validAccuracy, Map.of());
    }
}
