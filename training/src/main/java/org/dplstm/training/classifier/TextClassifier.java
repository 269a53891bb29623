package org.dplstm.training.classifier;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.run.RunDirectoryAccess;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.session.ManagedModel;

/**
 * A trained text classifier: the encoder and the model, for prediction. Loaded from (and saved
 * to) a run directory: {@code model.bin}, {@code encoder.json}, {@code vocabulary.json}.
 */
public final class TextClassifier implements AutoCloseable {

    private final ManagedModel<TextModel> trained;
    private final TextEncoder encoder;

    TextClassifier(ManagedModel<TextModel> trained, TextEncoder encoder) {
        this.trained = trained;
        this.encoder = encoder;
    }

    /**
     * Loads a trained classifier onto {@code device}, once the run's audit log (verified with
     * {@code key}) binds its model and encoder.
     */
    public static TextClassifier load(Path runDir, Device device, AuditKey key) throws IOException {
        RunDirectoryAccess.requireReachable(runDir);
        if (!Files.isRegularFile(ManagedModel.modelFile(runDir))) {
            throw new IllegalArgumentException("model must be a run directory with " + RunFiles.MODEL
                    + ", was " + runDir);
        }
        if (!Files.isRegularFile(runDir.resolve(RunFiles.ENCODER))) {
            throw new IllegalArgumentException("model " + runDir + " is not a classifier run directory (no "
                    + RunFiles.ENCODER + "; a language model's run is for generate)");
        }
        return ManagedModel.load(runDir, device, key, ModelFile::loadClassifier)
                .into(model -> new TextClassifier(model, TextEncoder.load(runDir)));
    }

    public TextEncoder encoder() {
        return encoder;
    }

    /** The model: an {@code LstmClassifier} or an {@code NgramLinearClassifier}. */
    public TextModel model() {
        return trained.model();
    }

    public Prediction predict(String text) {
        return predictAll(List.of(text)).get(0);
    }

    /** The most probable label of each text, with its softmax probability. */
    public List<Prediction> predictAll(List<String> texts) {
        List<Prediction> predictions = new ArrayList<>(texts.size());
        int chunk = 256;
        for (int start = 0; start < texts.size(); start += chunk) {
            List<String> part = texts.subList(start, Math.min(texts.size(), start + chunk));
            try (NDManager scope = trained.manager().newSubManager()) {
                NDArray probabilities = trained.model().logits(scope, batchOf(scope, part)).softmax(1);
                long[] best = probabilities.argMax(1).toType(DataType.INT64, false).toLongArray();
                double[] values = probabilities.toType(DataType.FLOAT64, false).toDoubleArray();
                int classes = encoder.labels().size();
                for (int i = 0; i < part.size(); i++) {
                    int label = (int) best[i];
                    predictions.add(new Prediction(encoder.labels().get(label), values[i * classes + label]));
                }
            }
        }
        return predictions;
    }

    private Batch batchOf(NDManager scope, List<String> texts) {
        List<int[]> encoded = texts.stream().map(encoder::encode).toList();
        int maxLength = encoded.stream().mapToInt(a -> a.length).max().orElse(1);
        long[] tokens = new long[texts.size() * maxLength];
        long[] lengths = new long[texts.size()];
        for (int i = 0; i < encoded.size(); i++) {
            int[] ids = encoded.get(i);
            for (int t = 0; t < ids.length; t++) {
                tokens[i * maxLength + t] = ids[t];
            }
            lengths[i] = ids.length;
        }
        return new Batch(scope.create(tokens, new Shape(texts.size(), maxLength)),
                scope.create(lengths, new Shape(texts.size())), scope.zeros(new Shape(texts.size()), DataType.INT64),
                null);
    }

    /** Writes the model and encoder into {@code dir} (each file atomically). */
    public void save(Path dir) throws IOException {
        trained.save(dir);
        encoder.save(dir);
    }

    @Override
    public void close() {
        trained.close();
    }
}
