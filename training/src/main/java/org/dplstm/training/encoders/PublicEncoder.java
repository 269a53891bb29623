package org.dplstm.training.encoders;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.dplstm.audit.verify.IntegrityException;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.recurrent.CellKind;

/**
 * A pretrained LSTM encoder shipped in the jar (ARCHITECTURE §2: public data costs no privacy):
 * the embedding and LSTM weights of a model trained on PUBLIC text only, disjoint from every
 * evaluation source (see its MODEL_CARD.md and tools/pretrain/). A run that starts from it
 * ({@code train --init public:NAME}) copies the embedding and LSTM; its head starts fresh. The
 * weights are pinned by the SHA-256 of the shipped model file, checked on every load.
 *
 * @param name the encoder's name, e.g. {@code multilingual-char}
 * @param tokenLevel the token level it reads ({@code char})
 * @param vocabSize its embedding rows (the char vocabulary's size)
 * @param sha256 the SHA-256 of its model.bin
 */
public record PublicEncoder(String name, String tokenLevel, int vocabSize, int embeddingDim, int hiddenSize,
        int layers, boolean bidirectional, String sha256) {

    /** The encoders shipped with this build. */
    public static final List<String> NAMES = List.of("multilingual-char");
    private static final String ROOT = "/org/dplstm/encoders/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shipped encoder of this name; an unknown name is bad input listing the known ones. */
    public static PublicEncoder named(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("public encoder must be one of " + NAMES + ", was " + name);
        }
        try (InputStream in = PublicEncoder.class.getResourceAsStream(ROOT + name + "/encoder.json")) {
            if (in == null) {
                throw new IllegalStateException("public encoder " + name + " is missing from this build");
            }
            JsonNode card = JSON.readTree(in);
            return new PublicEncoder(name, card.get("token_level").asText(), card.get("vocab_size").asInt(),
                    card.get("embedding").asInt(), card.get("hidden").asInt(), card.get("layers").asInt(),
                    card.get("bidirectional").asBoolean(), card.get("model_sha256").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why this encoder cannot start a run of this shape and token level, or null when it can:
     * the same token level and vocabulary, embedding and hidden sizes, layers and directions.
     */
    public String misfit(ModelConfig config, String runTokenLevel) {
        // the shipped encoders are LSTMs: a GRU run's recurrent weights have other names and shapes
        String ours = String.format(Locale.ROOT, "%s tokens, vocabulary %d, embedding %d, %s hidden %d, %d layer(s), %s",
                tokenLevel, vocabSize, embeddingDim, CellKind.LSTM.id(), hiddenSize, layers,
                bidirectional ? "bidirectional" : "one direction");
        String theirs = String.format(Locale.ROOT, "%s tokens, vocabulary %d, embedding %d, %s hidden %d, %d layer(s), %s",
                runTokenLevel, config.vocabSize(), config.embeddingDim(), config.cell().id(), config.hiddenSize(), config.layers(),
                config.directions() == 2 ? "bidirectional" : "one direction");
        return ours.equals(theirs) ? null : "public encoder " + name + " has " + ours + "; this run has " + theirs;
    }

    /**
     * Copies the encoder's embedding and LSTM weights into {@code model} (its head keeps its own
     * initialisation), after checking the shipped file's SHA-256 against the card's.
     */
    public void initialise(DifferentiableModel model, NDManager manager) {
        try {
            byte[] bytes;
            try (InputStream in = PublicEncoder.class.getResourceAsStream(ROOT + name + "/model.bin")) {
                bytes = in.readAllBytes();
            }
            checkPinned(name, bytes, sha256);
            try (TextModel encoder = ModelFile.loadAny(new ByteArrayInputStream(bytes),
                    "public encoder " + name, manager)) {
                NDList from = encoder.parameters();
                List<String> fromNames = encoder.parameterNames();
                NDList to = model.parameters();
                List<String> toNames = model.parameterNames();
                for (int i = 0; i < toNames.size(); i++) {
                    String parameter = toNames.get(i);
                    if (parameter.equals("embedding") || parameter.startsWith("lstm.")) {
                        from.get(fromNames.indexOf(parameter)).copyTo(to.get(i));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shipped weights must be the ones the card pins (and run_start records): a jar whose
     * model.bin was swapped or damaged is an integrity failure, not a model to start from.
     */
    static void checkPinned(String name, byte[] bytes, String pinned) {
        String actual;
        try {
            actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
        if (!actual.equals(pinned)) {
            throw new IntegrityException("public encoder " + name + ": its model.bin has SHA-256 " + actual
                    + ", its model card pins " + pinned + "; this build's resources are damaged or were replaced");
        }
    }
}
