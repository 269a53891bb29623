package org.dplstm.training.classifier;

import java.util.List;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.model.ModelConfig;

/**
 * A run checked and planned but not started: data encoded, vocabulary chosen (a DP vocabulary is
 * already selected and its cost is in the plan), σ calibrated. Everything that can reject bad
 * input has run, so a caller may create its output directory only after this exists.
 *
 * @param sanitization what sanitizing the training text changed (counts only, never values)
 */
public record PreparedRun(
        TextEncoder encoder,
        EncodedDataset train,
        EncodedDataset valid,
        PrivacyPlan plan,
        ModelConfig modelConfig,
        SanitizationReport sanitization,
        List<String> warnings) {

    public PreparedRun {
        warnings = List.copyOf(warnings);
    }
}
