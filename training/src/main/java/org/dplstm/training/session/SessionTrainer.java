package org.dplstm.training.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.model.DifferentiableModel;

/**
 * What every text-model trainer does the same way: it owns a {@link TrainingSession} made by its
 * builder, trains a prepared run, resumes a checkpointed one with the encoder saved in the run
 * directory, and closes the session. With an output directory the session writes checkpoints and
 * the model there, and with audit settings the audit log (run_start first, run_end after the model
 * is saved) and the ledger entry; a resume keeps the spent budget and continues the log with fresh
 * randomness. A task supplies how its encoder is loaded and its {@link TrainingSession.Task}.
 *
 * @param <E> the task's encoder
 * @param <M> the task's model
 */
public abstract class SessionTrainer<E extends RunEncoder, M extends DifferentiableModel>
        implements TextModelTrainer<E> {

    protected final TrainingSession session;

    protected SessionTrainer(TextModelTrainerBuilder<?> builder) {
        this.session = builder.newSession();
    }

    /** The encoder a run directory holds (written by the run that made it). */
    protected abstract E loadEncoder(Path runDir) throws IOException;

    /** The task's model factory; it also keeps the trained model for the trainer's accessor. */
    protected abstract TrainingSession.Task<M> task(E encoder);

    @Override
    public DpSgdConfig config() {
        return session.config();
    }

    /** Trains a prepared run; a dataset budget the run would exceed is refused before anything is written. */
    @Override
    public TrainingResult train(PreparedTextRun<E> run) {
        return session.train(run, task(run.encoder()));
    }

    /** Continues the run checkpointed in {@code runDir} on the same data (its encoder, spent budget and log kept). */
    @Override
    public TrainingResult resume(Path runDir, List<TextRecord> train, List<TextRecord> valid) throws IOException {
        E encoder = loadEncoder(runDir);
        return session.resume(runDir, train, valid, encoder::encode, task(encoder));
    }

    @Override
    public void close() {
        session.close();
    }
}
