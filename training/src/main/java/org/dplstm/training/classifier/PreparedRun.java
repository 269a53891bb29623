package org.dplstm.training.classifier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.provenance.RunDescription;
import org.dplstm.training.session.PreparedTextRun;

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
        RunDescription description,
        List<String> warnings) implements PreparedTextRun {

    public PreparedRun {
        warnings = List.copyOf(warnings);
    }

    @Override
    public void saveEncoder(Path dir) throws IOException {
        encoder.save(dir);
    }
}
