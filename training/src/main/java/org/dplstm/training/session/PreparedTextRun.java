package org.dplstm.training.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.provenance.RunDescription;

/**
 * A run of any task checked and planned but not started: data encoded, vocabulary chosen (a DP
 * vocabulary is already selected and its cost is in the plan), σ calibrated. Everything that can
 * reject bad input has run, so a caller may create its output directory only after this exists.
 *
 * @param <E> the task's encoder (a classifier's or a language model's)
 * @param valid null without validation data
 * @param sanitization what sanitizing the training text changed (counts only, never values)
 * @param description what the audit log's run_start records about the run
 */
public record PreparedTextRun<E extends RunEncoder>(
        E encoder,
        EncodedDataset train,
        EncodedDataset valid,
        PrivacyPlan plan,
        ModelConfig modelConfig,
        SanitizationReport sanitization,
        RunDescription description,
        List<String> warnings) {

    public PreparedTextRun {
        warnings = List.copyOf(warnings);
    }

    /** Writes the encoder and its vocabulary to {@code dir}: what a resume and a loaded model read. */
    public void saveEncoder(Path dir) throws IOException {
        encoder.save(dir);
    }
}
