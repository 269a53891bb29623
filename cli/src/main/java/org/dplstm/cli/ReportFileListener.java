package org.dplstm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.dpsgd.TrainingResult;

/**
 * Writes RUN_DIR/report.json when training ends, before the model is saved and before the audit
 * log's run_end: so a log that ends with run_end always has its report beside it.
 */
final class ReportFileListener implements TrainingListener {

    private final Path runDir;
    private final Map<String, Object> settings;
    private final boolean languageModel;
    private Map<String, Object> model;
    private int trainExamples;
    private int validExamples;
    private Map<String, Object> tuning;

    ReportFileListener(Path runDir, Map<String, Object> settings, boolean languageModel) {
        this.runDir = runDir;
        this.settings = settings;
        this.languageModel = languageModel;
    }

    /** What the report says about the model, known once the run is prepared. */
    void describe(Map<String, Object> model) {
        this.model = model;
    }

    /** The examples trained and validated on, as the trainer encoded them (a resume encodes again). */
    @Override
    public void onDataEncoded(int trainExamples, int validExamples) {
        this.trainExamples = trainExamples;
        this.validExamples = validExamples;
    }

    /** A tuned run's tuning section, written with the report. */
    @Override
    public void onTuningEnd(Map<String, Object> tuning) {
        this.tuning = tuning;
    }

    @Override
    public void onRunEnd(TrainingResult result) {
        if (model == null) {
            throw new IllegalStateException("describe the run before it ends");
        }
        try {
            Map<String, Object> report = RunReport.of(result, settings, model, trainExamples, validExamples);
            if (tuning != null) {
                report.put("tuning", tuning);
            }
            RunReport.write(runDir, languageModel ? RunReport.forLanguageModel(report) : report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + RunFiles.of(runDir).report(), e);
        }
    }
}
