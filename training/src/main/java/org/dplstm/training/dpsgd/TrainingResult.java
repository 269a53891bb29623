package org.dplstm.training.dpsgd;

import java.util.List;
import java.util.Map;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyEvent;

/**
 * What a run did and what it spent. {@link #epsilon()} is the run's total guarantee under its
 * accountant at {@link #delta()} (every mechanism composed; +∞ without privacy: no guarantee);
 * {@link #epsilonBreakdown()} gives each mechanism's ε on its own ({@code dp_sgd}, {@code
 * vocabulary}, ...), which do not add up to the total (composition is tighter than a sum).
 */
public record TrainingResult(
        boolean isPrivate,
        double epsilon,
        Map<String, Double> epsilonBreakdown,
        double delta,
        AccountantKind accountant,
        PrivacyUnit privacyUnit,
        double noiseMultiplier,
        double sampleRate,
        double expectedBatchSize,
        long steps,
        long plannedSteps,
        boolean stoppedByBudget,
        double validLoss,
        double validAccuracy,
        double trainSeconds,
        List<EpochSummary> epochs,
        List<PrivacyEvent> privacyHistory) {

    public TrainingResult {
        epsilonBreakdown = Map.copyOf(epsilonBreakdown);
        epochs = List.copyOf(epochs);
        privacyHistory = List.copyOf(privacyHistory);
    }
}
