package org.dplstm.training.languagemodel;

import java.util.List;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.model.ModelConfig;

/**
 * A language-model run checked and planned but not started: texts encoded, vocabulary chosen (a
 * DP vocabulary is already selected and its cost is in the plan), σ calibrated. Everything that
 * can reject bad input has run, so a caller may create its output directory only after this.
 */
public record PreparedLanguageModelRun(
        LanguageModelEncoder encoder,
        EncodedDataset train,
        EncodedDataset valid,
        PrivacyPlan plan,
        ModelConfig modelConfig,
        List<String> warnings) {

    public PreparedLanguageModelRun {
        warnings = List.copyOf(warnings);
    }
}
