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
 * @param <E> the task's encoder, held by its prepared run
 */
public interface TextModelTrainer<E extends RunEncoder> extends AutoCloseable {

    DpSgdConfig config();

    /** Every check and every decision made before training; bad input fails here. */
    PreparedTextRun<E> prepare(List<TextRecord> train, List<TextRecord> valid);

    /** Trains a prepared run (writing the run directory and audit trail when configured). */
    TrainingResult train(PreparedTextRun<E> run);

    /** Prepares and trains. */
    default TrainingResult fit(List<TextRecord> train, List<TextRecord> valid) {
        return train(prepare(train, valid));
    }

    /** Continues the run checkpointed in {@code runDir} on the same data. */
    TrainingResult resume(Path runDir, List<TextRecord> train, List<TextRecord> valid) throws IOException;

    @Override
    void close();
}
