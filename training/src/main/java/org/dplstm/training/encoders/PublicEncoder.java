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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dplstm.audit.verify.IntegrityException;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.TextModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.recurrent.CellKind;

/**
 * A pretrained LSTM model shipped in the jar (ARCHITECTURE §2: public data costs no privacy),
 * trained on PUBLIC text only, disjoint from every evaluation source (see its MODEL_CARD.md and
 * tools/pretrain/). A classifier encoder ({@code multilingual-char}) gives a new classifier its
 * embedding and LSTM, the head starting fresh; a language model ({@code latin-char-lm}) gives a new
 * language model every weight, its output layer included, since both read the same fixed public
 * character set; an encoder-decoder ({@code en-de-char}) gives a new encoder-decoder every weight,
 * both sides reading that set. A run starts from one with {@code train --init public:NAME}. The
 * weights are pinned by the SHA-256 of the shipped model file, checked on every load.
 *
 * @param name the encoder's name, e.g. {@code multilingual-char}
 * @param task the task it was trained for, which is the only task it can start
 * @param tokenLevel the token level it reads ({@code char})
 * @param vocabSize its embedding rows (the char vocabulary's size)
 * @param targetVocabSize an encoder-decoder's target embedding rows (0 for the other tasks)
 * @param attention an encoder-decoder's attention score (null for the other tasks)
 * @param sha256 the SHA-256 of its model.bin
 * @param vocabularySha256 the SHA-256 of the tokens it reads, in id order, joined by newlines
 *     (a language model's, an encoder-decoder's for both sides; null on cards without it)
 * @param publicTextSha256 the SHA-256 of the public text it ships for preconditioning
 *     (public-text.txt; null when it ships none)
 */
public record PublicEncoder(String name, ModelTask task, String tokenLevel, int vocabSize, int embeddingDim, int hiddenSize,
        int layers, boolean bidirectional, int targetVocabSize, String attention, String sha256, String vocabularySha256,
        String publicTextSha256) {

    /** The encoders shipped with this build. */
    public static final List<String> NAMES = List.of("multilingual-char", "latin-char-lm", "en-de-char");
    private static final String ROOT = "/org/dplstm/encoders/";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Cards read once per JVM: a run asks for its encoder's card several times (defaults, options, audit). */
    private static final Map<String, PublicEncoder> CARDS = new ConcurrentHashMap<>();

    /** The shipped encoder of this name; an unknown name is bad input listing the known ones. */
    public static PublicEncoder named(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("public encoder must be one of " + NAMES + ", was " + name);
        }
        return CARDS.computeIfAbsent(name, PublicEncoder::readCard);
    }

    private static PublicEncoder readCard(String name) {
        try (InputStream in = PublicEncoder.class.getResourceAsStream(ROOT + name + "/encoder.json")) {
            if (in == null) {
                throw new IllegalStateException("public encoder " + name + " is missing from this build");
            }
            JsonNode card = JSON.readTree(in);
            // cards written before language models were shipped are classifier encoders
            ModelTask task = card.has("task") ? ModelTask.parse(card.get("task").asText()) : ModelTask.CLASSIFY;
            return new PublicEncoder(name, task, card.get("token_level").asText(), card.get("vocab_size").asInt(),
                    card.get("embedding").asInt(), card.get("hidden").asInt(), card.get("layers").asInt(),
                    card.get("bidirectional").asBoolean(), card.path("target_vocab_size").asInt(0),
                    card.hasNonNull("attention") ? card.get("attention").asText() : null, card.get("model_sha256").asText(),
                    card.has("vocabulary_sha256") ? card.get("vocabulary_sha256").asText() : null,
                    card.has("public_text_sha256") ? card.get("public_text_sha256").asText() : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a run of these sizes can take this model's weights (its cell aside: the shipped ones are LSTMs). */
    public boolean fitsSizes(int embedding, int hidden, int runLayers, boolean runBidirectional) {
        return embedding == embeddingDim && hidden == hiddenSize && runLayers == layers
                && runBidirectional == bidirectional;
    }

    /**
     * Why a run of these sizes cannot take this model's weights, worded for a note after the model's
     * name ("does not fit sizes ... (it has ...)"), or null when it can.
     */
    public String sizeMisfit(int embedding, int hidden, int runLayers, boolean runBidirectional) {
        if (fitsSizes(embedding, hidden, runLayers, runBidirectional)) {
            return null;
        }
        return String.format(Locale.ROOT, "does not fit sizes embedding %d, hidden %d, %d layer(s)%s (it has embedding"
                + " %d, hidden %d, %d layer(s), %s)", embedding, hidden, runLayers, runBidirectional ? ", bidirectional" : "",
                embeddingDim, hiddenSize, layers, bidirectional ? "bidirectional" : "one direction");
    }

    /**
     * Why this encoder cannot start a run of this task, shape and token level, or null when it can:
     * the same task, token level and vocabulary, embedding and hidden sizes, layers and directions
     * (and, for a language model or an encoder-decoder, an untied output layer; for an encoder-decoder
     * also the target vocabulary and the attention score).
     */
    public String misfit(ModelConfig config, String runTokenLevel) {
        if (config.task() != task) {
            return "public encoder " + name + " is for --task " + task.id() + "; this run is --task " + config.task().id();
        }
        if (config.tiedEmbedding()) {
            return "public encoder " + name + " has an output layer of its own; this run ties it to the embedding";
        }
        // the shipped encoders are LSTMs: a GRU run's recurrent weights have other names and shapes
        String ours = String.format(Locale.ROOT, "%s tokens, vocabulary %d, embedding %d, %s hidden %d, %d layer(s), %s",
                tokenLevel, vocabSize, embeddingDim, CellKind.LSTM.id(), hiddenSize, layers,
                bidirectional ? "bidirectional" : "one direction");
        String theirs = String.format(Locale.ROOT, "%s tokens, vocabulary %d, embedding %d, %s hidden %d, %d layer(s), %s",
                runTokenLevel, config.vocabSize(), config.embeddingDim(), config.cell().id(), config.hiddenSize(), config.layers(),
                config.directions() == 2 ? "bidirectional" : "one direction");
        if (task == ModelTask.SEQ2SEQ) {
            ours += String.format(Locale.ROOT, ", target vocabulary %d, %s attention", targetVocabSize, attention);
            theirs += String.format(Locale.ROOT, ", target vocabulary %d, %s attention", config.targetVocabSize(),
                    config.attention().id());
        }
        return ours.equals(theirs) ? null : "public encoder " + name + " has " + ours + "; this run has " + theirs;
    }

    /**
     * Why a run of {@code runTask} reading {@code runTokenLevel} tokens cannot start from this model,
     * or null, from the command line alone: it is asked before any vocabulary is chosen, so a
     * refusal never tells the size of a vocabulary selected privately from the data (which would
     * release a DP output whose cost no ledger holds).
     */
    public String misfitBeforeData(ModelTask runTask, String runTokenLevel) {
        if (runTask != task) {
            return "public encoder " + name + " is for --task " + task.id() + "; this run is --task " + runTask.id();
        }
        return runTokenLevel.equals(tokenLevel) ? null
                : "public encoder " + name + " reads " + tokenLevel + " tokens; this run reads " + runTokenLevel + " tokens";
    }

    /**
     * Checks that a run reads the very tokens this model was trained on (the card pins them): a
     * build whose character set changed (a new placeholder, say) without retraining the model
     * would shift every id silently. Nothing to check on cards that pin no tokens.
     */
    public void checkVocabulary(List<String> tokens) {
        if (vocabularySha256 == null) {
            return;
        }
        String actual = sha256(String.join("\n", tokens).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!actual.equals(vocabularySha256)) {
            throw new IntegrityException("public model " + name + " was trained on tokens with SHA-256 "
                    + vocabularySha256 + ", this build's run reads tokens with SHA-256 " + actual
                    + "; retrain it (tools/pretrain/) or start with --init none");
        }
    }

    /**
     * Copies the shipped weights into {@code model}, after checking the shipped file's SHA-256
     * against the card's: a classifier encoder's embedding and LSTM (the head keeps its own
     * initialisation), a language model's or an encoder-decoder's every parameter.
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
                    if (task != ModelTask.CLASSIFY || parameter.equals("embedding")
                            || parameter.startsWith("lstm.")) {
                        from.get(fromNames.indexOf(parameter)).copyTo(to.get(i));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped models that carry public text for preconditioning. */
    public static List<String> withPublicText() {
        return NAMES.stream().filter(n -> named(n).publicTextSha256() != null).toList();
    }

    /** Bad input naming the models that do, when this one ships no public text for preconditioning. */
    public void checkShipsPublicText() {
        if (publicTextSha256 == null) {
            throw new IllegalArgumentException("precondition must name a public model that ships public text "
                    + withPublicText().stream().map(n -> "public:" + n).toList() + ", was public:" + name);
        }
    }

    /**
     * The public text this model ships for public preconditioning (public-text.txt: lines of its
     * pretraining corpus, one example a line), after checking its SHA-256 against the card's. A
     * model that ships none is bad input naming those that do.
     */
    public List<String> publicText() {
        checkShipsPublicText();
        try (InputStream in = PublicEncoder.class.getResourceAsStream(ROOT + name + "/public-text.txt")) {
            if (in == null) {
                throw new IntegrityException("public model " + name + ": its card pins public-text.txt, which is"
                        + " missing from this build");
            }
            byte[] bytes = in.readAllBytes();
            String actual = sha256(bytes);
            if (!actual.equals(publicTextSha256)) {
                throw new IntegrityException("public model " + name + ": its public-text.txt has SHA-256 " + actual
                        + ", its model card pins " + publicTextSha256
                        + "; this build's resources are damaged or were replaced");
            }
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The shipped weights must be the ones the card pins (and run_start records): a jar whose
     * model.bin was swapped or damaged is an integrity failure, not a model to start from.
     */
    static void checkPinned(String name, byte[] bytes, String pinned) {
        String actual = sha256(bytes);
        if (!actual.equals(pinned)) {
            throw new IntegrityException("public encoder " + name + ": its model.bin has SHA-256 " + actual
                    + ", its model card pins " + pinned + "; this build's resources are damaged or were replaced");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
