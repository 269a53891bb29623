package org.dplstm.training.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.training.recurrent.CellKind;

/**
 * One file holding a model: a magic line, the config as JSON, then the parameters as DJL's
 * {@link NDList#encode()}. Written with {@link AtomicFile}, so a crash never leaves a half-written
 * model under the final name, and a saved model is on disk before run_end names its hash.
 */
public final class ModelFile {

    /** Header of a model that builds without a pooling choice read correctly (last-state readout). */
    static final byte[] MAGIC = "DPLSTM-MODEL-1\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Header of a model that needs this build's config keys (mean pooling): an older build refuses
     * the file instead of reading it as a last-state model and predicting wrongly.
     */
    static final byte[] MAGIC_POOLING = "DPLSTM-MODEL-2\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Header of a GRU model: a build older than the cell choice refuses it instead of reading it
     * as an LSTM.
     */
    static final byte[] MAGIC_CELL = "DPLSTM-MODEL-3\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Header of an n-gram classifier: a build older than the model choice refuses it instead of
     * failing on its config.
     */
    static final byte[] MAGIC_NGRAM = "DPLSTM-MODEL-4\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Header of an n-gram classifier without a bias: a build older than the bias choice refuses it
     * instead of reading a model with one parameter as one with two.
     */
    static final byte[] MAGIC_NGRAM_NO_BIAS = "DPLSTM-MODEL-5\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFile() {}

    /** Writes {@code model} to {@code file} atomically and durably ({@link AtomicFile}). */
    public static void save(TextModel model, Path file) throws IOException {
        byte[] config = JSON.writeValueAsBytes(model.config().toMap());
        byte[] parameters = model.parameters().encode();
        AtomicFile.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(raw);
            out.write(magicOf(model.config()));
            out.writeInt(config.length);
            out.write(config);
            out.write(parameters);
            out.flush();
        });
    }

    /** The oldest header whose readers read {@code config} correctly. */
    private static byte[] magicOf(ModelConfig config) {
        if (config.kind() == ModelKind.NGRAM) {
            return config.ngramBias() ? MAGIC_NGRAM : MAGIC_NGRAM_NO_BIAS;
        }
        if (config.cell() != CellKind.LSTM) {
            return MAGIC_CELL;
        }
        return config.pooling() == Pooling.LAST ? MAGIC : MAGIC_POOLING;
    }

    /** Reads a recurrent classifier written by {@link #save}; its parameters live in a child of {@code parent}. */
    public static LstmClassifier load(Path file, NDManager parent) throws IOException {
        return loadAs(file, parent, LstmClassifier.class, "a classifier");
    }

    /** Reads a classifier of either kind (recurrent or n-gram) written by {@link #save}. */
    public static TextModel loadClassifier(Path file, NDManager parent) throws IOException {
        TextModel model = loadAny(file, parent);
        if (model.config().task() != ModelTask.CLASSIFY) {
            model.close();
            throw new IllegalArgumentException("model file " + file + " holds a " + model.config().task()
                    + " model, not a classifier");
        }
        return model;
    }

    /** Reads a language model written by {@link #save}. */
    public static LstmLanguageModel loadLanguageModel(Path file, NDManager parent) throws IOException {
        return loadAs(file, parent, LstmLanguageModel.class, "a language model (task lm)");
    }

    /** Reads an encoder-decoder written by {@link #save}. */
    public static LstmEncoderDecoder loadEncoderDecoder(Path file, NDManager parent) throws IOException {
        return loadAs(file, parent, LstmEncoderDecoder.class, "an encoder-decoder (task seq2seq)");
    }

    /** Reads one kind of model; bad input naming {@code kind} when the file holds another. */
    private static <M extends TextModel> M loadAs(Path file, NDManager parent, Class<M> type, String kind)
            throws IOException {
        TextModel model = loadAny(file, parent);
        if (type.isInstance(model)) {
            return type.cast(model);
        }
        model.close();
        if (model.config().kind() == ModelKind.NGRAM) {
            throw new IllegalArgumentException("model file " + file + " holds an n-gram classifier, not " + kind
                    + (type == LstmClassifier.class ? " with recurrent layers (loadClassifier reads either kind)" : ""));
        }
        throw new IllegalArgumentException("model file " + file + " holds a " + model.config().task()
                + " model, not " + kind);
    }

    /**
     * Reads any kind of model, by the task in its config. A file cut short or damaged is bad
     * input naming the file ("truncated or corrupt"), not an engine error from deep inside.
     */
    public static TextModel loadAny(Path file, NDManager parent) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return loadAny(raw, file.toString(), parent);
        }
    }

    /** Reads any kind of model from {@code raw} (e.g. a shipped resource); {@code name} names it in messages. */
    public static TextModel loadAny(InputStream raw, String name, NDManager parent) throws IOException {
        byte[] params;
        ModelConfig config;
        try (DataInputStream in = new DataInputStream(raw)) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (magic.length < MAGIC.length && Arrays.equals(magic, Arrays.copyOf(MAGIC, magic.length))) {
                throw new EOFException("only " + magic.length + " bytes");
            }
            if (!Arrays.equals(magic, MAGIC) && !Arrays.equals(magic, MAGIC_POOLING) && !Arrays.equals(magic, MAGIC_CELL)
                    && !Arrays.equals(magic, MAGIC_NGRAM) && !Arrays.equals(magic, MAGIC_NGRAM_NO_BIAS)) {
                throw new IllegalArgumentException("model file " + name + " is not a dplstm model (bad header)");
            }
            int configLength = in.readInt();
            if (configLength <= 0 || configLength > 1 << 20) {
                throw new IllegalArgumentException("model file " + name + " has a corrupt config length " + configLength);
            }
            Map<String, Object> map = JSON.readValue(in.readNBytes(configLength), new TypeReference<>() {});
            config = ModelConfig.fromMap(map);
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            in.transferTo(rest);
            params = rest.toByteArray();
        } catch (EOFException | JsonProcessingException e) {
            throw corrupt(name, e);
        }
        NDManager manager = parent.newSubManager();
        try {
            NDList decoded;
            try {
                decoded = NDList.decode(manager, params);
            } catch (RuntimeException e) {
                throw corrupt(name, e);
            }
            return switch (config.task()) {
                case LANGUAGE_MODEL -> LstmLanguageModel.fromParameters(config, manager, decoded);
                case SEQ2SEQ -> LstmEncoderDecoder.fromParameters(config, manager, decoded);
                case CLASSIFY -> config.kind() == ModelKind.NGRAM
                        ? NgramLinearClassifier.fromParameters(config, manager, decoded)
                        : LstmClassifier.fromParameters(config, manager, decoded);
            };
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static IllegalArgumentException corrupt(String file, Exception cause) {
        String detail = String.valueOf(cause.getMessage()).lines().findFirst().orElse("");
        return new IllegalArgumentException("model file " + file + " is truncated or corrupt (" + detail
                + "); train again, or restore it from a copy", cause);
    }
}
