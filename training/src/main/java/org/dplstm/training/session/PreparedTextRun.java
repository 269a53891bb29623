package org.dplstm.training.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.training.dpsgd.EncodedDataset;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.provenance.RunDescription;

/**
 * A run of any task checked and planned but not started: data encoded, vocabulary chosen (a DP
 * vocabulary is already selected and its cost is in the plan), σ calibrated. Everything that can
 * reject bad input has run, so a caller may create its output directory only after this exists.
 */
public interface PreparedTextRun {

    EncodedDataset train();

    /** Null without validation data. */
    EncodedDataset valid();

    PrivacyPlan plan();

    ModelConfig modelConfig();

    /** What the audit log's run_start records about the run. */
    RunDescription description();

    List<String> warnings();

    /** Writes the encoder and its vocabulary to {@code dir}: what a resume and a loaded model read. */
    void saveEncoder(Path dir) throws IOException;
}
