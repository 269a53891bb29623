package org.dplstm.training.session;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.run.RunDirectoryAccess;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.RunArtefacts;
import org.dplstm.training.dpsgd.NonFiniteTrainingException;
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

    /** Builds what holds a loaded model, e.g. a classifier with its encoder. */
    @FunctionalInterface
    public interface Holder<M extends TextModel, T> {
        T hold(ManagedModel<M> model) throws IOException;
    }

    /** What {@code holder} builds around this model; the model is closed if that fails. */
    public <T> T into(Holder<M, T> holder) throws IOException {
        try {
            return holder.hold(this);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A model in a manager someone else closes (a trainer's session); closing this leaves it open. */
    public static <M extends TextModel> ManagedModel<M> borrowing(NDManager manager, M model) {
        return new ManagedModel<>(manager, model, false);
    }

    /**
     * Reads {@code runDir}'s {@value RunFiles#MODEL} into a new base manager on
     * {@code device}, closed by {@link #close} (or at once if reading fails). The run's audit log
     * is verified with {@code key} first and must bind the model and the files read with it
     * (bad input otherwise, nothing loaded).
     */
    public static <M extends TextModel> ManagedModel<M> load(Path runDir, Device device, AuditKey key,
            Reader<M> reader) throws IOException {
        RunArtefacts.requireBound(runDir, key);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            M model = reader.read(modelFile(runDir), manager);
            requireFinite(model, modelFile(runDir));
            return new ManagedModel<>(manager, model, true);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Bad input unless {@code runDir} holds a trained model and {@code encoderFile} (one of
     * {@link RunFiles}' names): a run of {@code description}, trained by {@code command}. A
     * directory the user may not search is an I/O failure ({@link RunDirectoryAccess}), not bad input.
     */
    public static void requireRunOf(Path runDir, String encoderFile, String description, String command)
            throws IOException {
        RunDirectoryAccess.requireReachable(runDir);
        if (!Files.isRegularFile(modelFile(runDir)) || !Files.isRegularFile(runDir.resolve(encoderFile))) {
            throw new IllegalArgumentException("model must be " + description + " run directory with " + RunFiles.MODEL
                    + " and " + encoderFile + " (" + command + "), was " + runDir);
        }
    }

    /** Refuses a model whose weights are not all finite (its run stopped on a numerical failure). */
    static void requireFinite(TextModel model, Path modelFile) {
        if (!NonFiniteTrainingException.allFinite(model.parameters())) {
            throw new NonFiniteTrainingException("model file " + modelFile + " holds non-finite weights (NaN or"
                    + " infinite): its run stopped on a numerical failure (see its audit log); train again with a"
                    + " smaller learning rate");
        }
    }

    /** Where a run directory keeps its trained model. */
    public static Path modelFile(Path runDir) {
        return RunFiles.of(runDir).model();
    }

    /** The manager the model's arrays live in: the parent of a prediction's scratch scope. */
    public NDManager manager() {
        return manager;
    }

    public M model() {
        return model;
    }

    /** Writes the model into {@code dir} as {@value RunFiles#MODEL} (atomically). */
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
