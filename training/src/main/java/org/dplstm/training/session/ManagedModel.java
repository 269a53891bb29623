package org.dplstm.training.session;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.model.ModelFile;

/**
 * A trained model with the manager its arrays live in, as a classifier or a generator holds it.
 * Loaded from a run directory it has a base manager of its own, closed with it; handed over by a
 * trainer it lives in the session's manager, which the session closes.
 *
 * @param <M> the task's model
 */
public final class ManagedModel<M extends TextModel> implements AutoCloseable {

    private final NDManager manager;
    private final M model;
    private final boolean ownsManager;

    private ManagedModel(NDManager manager, M model, boolean ownsManager) {
        this.manager = manager;
        this.model = model;
        this.ownsManager = ownsManager;
    }

    /** Reads one kind of model from a model file, e.g. {@code ModelFile::load}. */
    @FunctionalInterface
    public interface Reader<M extends TextModel> {
        M read(Path modelFile, NDManager parent) throws IOException;
    }

    /** A model in a manager someone else closes (a trainer's session); closing this leaves it open. */
    public static <M extends TextModel> ManagedModel<M> borrowing(NDManager manager, M model) {
        return new ManagedModel<>(manager, model, false);
    }

    /**
     * Reads {@code runDir}'s {@value TrainingSession#MODEL_FILE} into a new base manager on
     * {@code device}, closed by {@link #close} (or at once if reading fails).
     */
    public static <M extends TextModel> ManagedModel<M> load(Path runDir, Device device, Reader<M> reader)
            throws IOException {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return new ManagedModel<>(manager, reader.read(modelFile(runDir), manager), true);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Where a run directory keeps its trained model. */
    public static Path modelFile(Path runDir) {
        return runDir.resolve(TrainingSession.MODEL_FILE);
    }

    /** The manager the model's arrays live in: the parent of a prediction's scratch scope. */
    public NDManager manager() {
        return manager;
    }

    public M model() {
        return model;
    }

    /** Writes the model into {@code dir} as {@value TrainingSession#MODEL_FILE} (atomically). */
    public void save(Path dir) throws IOException {
        ModelFile.save(model, modelFile(dir));
    }

    @Override
    public void close() {
        if (ownsManager) {
            manager.close();
        }
    }
}
