package org.dplstm.training.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.TrainingResult;

/**
 * A DP-SGD trainer of one task's text model: prepare (every check, before anything is written),
 * train, or resume a checkpointed run. Implementations delegate the run directory, checkpoints,
 * audit trail and ledger to a {@link TrainingSession}.
 *
 * @param <R> the task's prepared run
 */
public interface TextModelTrainer<R extends PreparedTextRun> extends AutoCloseable {

    DpSgdConfig config();

    /** Every check and every decision made before training; bad input fails here. */
    R prepare(List<TextRecord> train, List<TextRecord> valid);

    /** Trains a prepared run (writing the run directory and audit trail when configured). */
    TrainingResult train(R run);

    /** Prepares and trains. */
    default TrainingResult fit(List<TextRecord> train, List<TextRecord> valid) {
        return train(prepare(train, valid));
    }

    /** Continues the run checkpointed in {@code runDir} on the same data. */
    TrainingResult resume(Path runDir, List<TextRecord> train, List<TextRecord> valid) throws IOException;

    @Override
    void close();
}
