package org.dplstm.training.model;

import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dplstm.training.recurrent.CellKind;

/**
 * The shape of a recurrent text model: Embedding → stacked (optionally bidirectional) LSTM or GRU →
 * optional LayerNorm → dropout → Linear, over the last real position or the mean of the real
 * positions (a classifier; {@link Pooling}) or over the
 * vocabulary at every position (a language model, unidirectional, optionally with the output
 * weight tied to the embedding), or an attentional encoder-decoder (task seq2seq: the
 * embedding and stacked LSTM read the source, and a unidirectional decoder of {@link
 * #featureSize()} units with Luong attention and an output layer over {@link #targetVocabSize()}
 * writes the target). Immutable; build with {@link #builder()}.
 */
public final class ModelConfig {

    /** The shape an n-gram model's config carries: it has no recurrent stack (never written to files). */
    private static final ModelShape NO_STACK = ModelShape.of(1, 1);

    private final ModelKind kind;
    private final ModelTask task;
    private final ModelShape shape;
    private final int vocabSize;
    private final boolean layerNorm;
    private final double dropout;
    private final int numClasses;
    private final int targetVocabSize;
    private final AttentionScore attention;
    private final DataType dataType;
    private final boolean ngramBias;

    private ModelConfig(Builder builder, ModelShape shape) {
        this.kind = builder.kind;
        this.task = builder.task;
        this.shape = shape;
        this.vocabSize = builder.vocabSize;
        this.layerNorm = builder.layerNorm;
        this.dropout = builder.dropout;
        this.numClasses = builder.numClasses;
        this.targetVocabSize = builder.targetVocabSize;
        this.attention = builder.attention;
        this.dataType = builder.dataType;
        this.ngramBias = builder.ngramBias;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The network: a recurrent stack, or a linear layer over hashed character n-grams (classifiers). */
    public ModelKind kind() {
        return kind;
    }

    public ModelTask task() {
        return task;
    }

    /**
     * Whether an n-gram classifier's logits add a bias (W x + b) or not (W x, the default: under
     * DP-SGD the bias's gradient, as large as the weights', took half of every clipped gradient;
     * README, "Accuracy at small ε"). Always false for a recurrent model (its output bias is part
     * of its layout).
     */
    public boolean ngramBias() {
        return ngramBias;
    }

    /** The recurrent stack's shape (cell, sizes, layers, directions, pooling, tied output). */
    public ModelShape shape() {
        return shape;
    }

    /** The recurrent layers' cell: LSTM (the default) or GRU. */
    public CellKind cell() {
        return shape.cell();
    }

    /** Number of token ids, including the padding id 0 (of the source for task seq2seq). */
    public int vocabSize() {
        return vocabSize;
    }

    public int embeddingDim() {
        return shape.embeddingDim();
    }

    /** Hidden size H of each recurrent direction. */
    public int hiddenSize() {
        return shape.hiddenSize();
    }

    public int layers() {
        return shape.layers();
    }

    public boolean bidirectional() {
        return shape.bidirectional();
    }

    public boolean layerNorm() {
        return layerNorm;
    }

    /** A classifier's readout of the top layer (always {@link Pooling#LAST} for a language model). */
    public Pooling pooling() {
        return shape.pooling();
    }

    /** Probability of zeroing a feature before the output layer during training. */
    public double dropout() {
        return dropout;
    }

    /** Classes of a classifier; 0 for a language model (its output is the vocabulary). */
    public int numClasses() {
        return numClasses;
    }

    /** Rows of the output layer: the classes, or the (target) vocabulary of a language model (encoder-decoder). */
    public int outputSize() {
        return switch (task) {
            case CLASSIFY -> numClasses;
            case LANGUAGE_MODEL -> vocabSize;
            case SEQ2SEQ -> targetVocabSize;
        };
    }

    /**
     * True when the output weight is an embedding table itself: a language model's (E = H) or an
     * encoder-decoder's target embedding (E = {@link #featureSize()}).
     */
    public boolean tiedEmbedding() {
        return shape.tiedEmbedding();
    }

    /** Target token ids of an encoder-decoder, including the padding id 0; 0 for other tasks. */
    public int targetVocabSize() {
        return targetVocabSize;
    }

    /** An encoder-decoder's attention score (meaningless for other tasks). */
    public AttentionScore attention() {
        return attention;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Recurrent directions per layer: 2 when bidirectional, else 1. */
    public int directions() {
        return shape.directions();
    }

    /**
     * Size of one position's output of a layer, and of the classifier's features: H or 2H; for an
     * n-gram model the bag's buckets, the token ids but padding and unknown.
     */
    public int featureSize() {
        return kind == ModelKind.NGRAM ? vocabSize - 2 : hiddenSize() * directions();
    }

    /** Input size of recurrent layer {@code layer}: the embedding for the first, else the features. */
    public int inputSize(int layer) {
        return layer == 0 ? embeddingDim() : featureSize();
    }

    /** A builder preset with this configuration's values. */
    public Builder toBuilder() {
        return builder()
                .optKind(kind)
                .task(task)
                .shape(shape)
                .vocabSize(vocabSize)
                .optLayerNorm(layerNorm)
                .optDropout(dropout)
                .numClasses(numClasses)
                .optTargetVocabSize(targetVocabSize)
                .optAttention(attention)
                .optNgramBias(ngramBias)
                .optDataType(dataType);
    }

    /** Plain values for JSON (model files, run reports). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (kind == ModelKind.NGRAM) {
            // no recurrent stack: its sizes would only mislead a reader of the file
            map.put("model", kind.id());
            map.put("task", task.name().toLowerCase(Locale.ROOT));
            map.put("vocab_size", vocabSize);
            map.put("num_classes", numClasses);
            map.put("bias", ngramBias);
            map.put("data_type", dataType == DataType.FLOAT64 ? "float64" : "float32");
            return map;
        }
        map.put("task", task.name().toLowerCase(Locale.ROOT));
        map.put("cell", shape.cell().id());
        map.put("vocab_size", vocabSize);
        map.put("embedding_dim", shape.embeddingDim());
        map.put("hidden_size", shape.hiddenSize());
        map.put("layers", shape.layers());
        map.put("bidirectional", shape.bidirectional());
        map.put("layer_norm", layerNorm);
        map.put("pooling", shape.pooling().toString());
        map.put("dropout", dropout);
        map.put("num_classes", numClasses);
        map.put("tied_embedding", shape.tiedEmbedding());
        if (task == ModelTask.SEQ2SEQ) {
            map.put("target_vocab_size", targetVocabSize);
            map.put("attention", attention.id());
        }
        map.put("data_type", dataType == DataType.FLOAT64 ? "float64" : "float32");
        return map;
    }

    /** Inverse of {@link #toMap()}; validates like the builder. */
    public static ModelConfig fromMap(Map<String, ?> map) {
        // files written before the n-gram model hold recurrent models and have no "model" key
        ModelKind kind = map.containsKey("model") ? ModelKind.parse(text(map, "model")) : ModelKind.RECURRENT;
        if (kind == ModelKind.NGRAM) {
            return builder().optKind(kind)
                    .task(ModelTask.valueOf(text(map, "task").toUpperCase(Locale.ROOT)))
                    .vocabSize(number(map, "vocab_size").intValue())
                    .numClasses(number(map, "num_classes").intValue())
                    // n-gram files written before the choice have a bias
                    .optNgramBias(!map.containsKey("bias") || booleanValue(map, "bias"))
                    .optDataType(dataTypeNamed(text(map, "data_type")))
                    .build();
        }
        return builder()
                .task(ModelTask.valueOf(text(map, "task").toUpperCase(Locale.ROOT)))
                // model files and runs written before the cell was a choice are LSTMs
                .optCell(map.containsKey("cell") ? CellKind.parse(text(map, "cell")) : CellKind.LSTM)
                .optTiedEmbedding(Boolean.TRUE.equals(map.get("tied_embedding")))
                .vocabSize(number(map, "vocab_size").intValue())
                .embeddingDim(number(map, "embedding_dim").intValue())
                .hiddenSize(number(map, "hidden_size").intValue())
                .optLayers(number(map, "layers").intValue())
                .optBidirectional(Boolean.TRUE.equals(map.get("bidirectional")))
                .optLayerNorm(Boolean.TRUE.equals(map.get("layer_norm")))
                // model files written before pooling was a choice read the last state
                .optPooling(map.containsKey("pooling") ? Pooling.parse(text(map, "pooling")) : Pooling.LAST)
                .optDropout(number(map, "dropout").doubleValue())
                .numClasses(number(map, "num_classes").intValue())
                .optTargetVocabSize(map.containsKey("target_vocab_size") ? number(map, "target_vocab_size").intValue() : 0)
                .optAttention(map.containsKey("attention") ? AttentionScore.parse(text(map, "attention"))
                        : AttentionScore.GENERAL)
                .optDataType(dataTypeNamed(text(map, "data_type")))
                .build();
    }

    /** "float32" or "float64". */
    public static DataType dataTypeNamed(String name) {
        switch (name) {
            case "float32":
                return DataType.FLOAT32;
            case "float64":
                return DataType.FLOAT64;
            default:
                throw new IllegalArgumentException(
                        "data type must be one of [float32, float64], was " + name);
        }
    }

    private static String text(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof String)) {
            throw new IllegalArgumentException("model config field " + key + " must be a string, was " + value);
        }
        return (String) value;
    }

    private static boolean booleanValue(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Boolean)) {
            throw new IllegalArgumentException("model config field " + key + " must be true or false, was " + value);
        }
        return (Boolean) value;
    }

    private static Number number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Number)) {
            throw new IllegalArgumentException("model config field " + key + " must be a number, was " + value);
        }
        return (Number) value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelConfig && toMap().equals(((ModelConfig) other).toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "ModelConfig" + toMap();
    }

    /** Builds a {@link ModelConfig}; {@code opt*} setters have defaults. */
    public static final class Builder {
        private ModelKind kind = ModelKind.RECURRENT;
        private ModelTask task = ModelTask.CLASSIFY;
        private CellKind cell = CellKind.LSTM;
        private int vocabSize;
        private int embeddingDim;
        private int hiddenSize;
        private int layers = 1;
        private boolean bidirectional;
        private boolean layerNorm;
        private Pooling pooling = Pooling.LAST;
        private double dropout;
        private int numClasses;
        private boolean tiedEmbedding;
        private int targetVocabSize;
        private AttentionScore attention = AttentionScore.GENERAL;
        private DataType dataType = DataType.FLOAT32;
        private boolean ngramBias;

        private Builder() {}

        /** The network; default {@link ModelKind#RECURRENT}. An n-gram model ignores the recurrent shape. */
        public Builder optKind(ModelKind kind) {
            this.kind = kind;
            return this;
        }

        public Builder task(ModelTask task) {
            this.task = task;
            return this;
        }

        /** Every value of the recurrent stack's shape at once. */
        public Builder shape(ModelShape shape) {
            return optCell(shape.cell()).embeddingDim(shape.embeddingDim()).hiddenSize(shape.hiddenSize())
                    .optLayers(shape.layers()).optBidirectional(shape.bidirectional()).optPooling(shape.pooling())
                    .optTiedEmbedding(shape.tiedEmbedding());
        }

        /** The recurrent layers' cell; default {@link CellKind#LSTM}. */
        public Builder optCell(CellKind cell) {
            this.cell = cell;
            return this;
        }

        public Builder vocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        public Builder embeddingDim(int embeddingDim) {
            this.embeddingDim = embeddingDim;
            return this;
        }

        public Builder hiddenSize(int hiddenSize) {
            this.hiddenSize = hiddenSize;
            return this;
        }

        public Builder numClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Stacked recurrent layers; default 1. */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Adds a reverse direction to every layer; default false. */
        public Builder optBidirectional(boolean bidirectional) {
            this.bidirectional = bidirectional;
            return this;
        }

        /** LayerNorm over the classifier's features (per example, so DP-safe); default false. */
        public Builder optLayerNorm(boolean layerNorm) {
            this.layerNorm = layerNorm;
            return this;
        }

        /** A classifier's readout of the top layer's states; default {@link Pooling#LAST}. */
        public Builder optPooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /** Dropout before the output layer; default 0. */
        public Builder optDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Language models only: the output weight is the embedding table (needs E = H); default
         * false. Its clipping uses the norm of the SUM of both uses' gradients (ARCHITECTURE §3.6).
         */
        public Builder optTiedEmbedding(boolean tiedEmbedding) {
            this.tiedEmbedding = tiedEmbedding;
            return this;
        }

        /** Task seq2seq only: target token ids including padding (required there, 0 otherwise). */
        public Builder optTargetVocabSize(int targetVocabSize) {
            this.targetVocabSize = targetVocabSize;
            return this;
        }

        /** Task seq2seq only: the attention score; default {@link AttentionScore#GENERAL}. */
        public Builder optAttention(AttentionScore attention) {
            this.attention = attention;
            return this;
        }

        /** Model ngram only: logits W x + b instead of W x (default false, {@link ModelConfig#ngramBias()}). */
        public Builder optNgramBias(boolean ngramBias) {
            this.ngramBias = ngramBias;
            return this;
        }

        /** float32 (default) or float64 (exact tests). */
        public Builder optDataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        public ModelConfig build() {
            if (task == null) {
                throw new IllegalArgumentException("task must be one of [classify, lm, seq2seq], was null");
            }
            if (kind == null) {
                throw new IllegalArgumentException("model must be one of [lstm, ngram], was null");
            }
            if (kind == ModelKind.NGRAM) {
                return buildNgram();
            }
            if (ngramBias) {
                throw new IllegalArgumentException("the n-gram bias choice needs model ngram, model was " + kind.id());
            }
            ModelShape shape = new ModelShape(cell, embeddingDim, hiddenSize, layers, bidirectional, pooling,
                    tiedEmbedding);
            atLeast("vocab size", vocabSize, 2);
            if (task == ModelTask.CLASSIFY) {
                atLeast("num classes", numClasses, 2);
                if (tiedEmbedding) {
                    throw new IllegalArgumentException("tied embedding needs task lm or seq2seq, was classify");
                }
            } else if (task == ModelTask.LANGUAGE_MODEL) {
                checkLanguageModel();
            } else {
                checkEncoderDecoder();
            }
            if (task != ModelTask.SEQ2SEQ && targetVocabSize != 0) {
                throw new IllegalArgumentException("target vocab size must be 0 (unset) for task " + task + ", was "
                        + targetVocabSize);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), was " + dropout);
            }
            if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
                throw new IllegalArgumentException(
                        "data type must be one of [float32, float64], was " + dataType);
            }
            ModelConfig config = new ModelConfig(this, shape);
            ModelFootprint.checkArrays(config);
            return config;
        }

        /** A linear classifier over n-gram buckets: token ids are the buckets plus padding and unknown. */
        private ModelConfig buildNgram() {
            if (task != ModelTask.CLASSIFY) {
                throw new IllegalArgumentException("model ngram needs task classify, was " + task);
            }
            atLeast("vocab size", vocabSize, 3);
            atLeast("num classes", numClasses, 2);
            if (layerNorm || dropout != 0 || tiedEmbedding || targetVocabSize != 0) {
                throw new IllegalArgumentException("model ngram has no layer norm, dropout, tied embedding or target"
                        + " vocabulary (it is one linear layer)");
            }
            if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT64) {
                throw new IllegalArgumentException("data type must be one of [float32, float64], was " + dataType);
            }
            ModelConfig config = new ModelConfig(this, NO_STACK);
            ModelFootprint.checkArrays(config);
            return config;
        }

        /** A language model reads left to right and has one plain output layer per position. */
        private void checkLanguageModel() {
            if (numClasses != 0) {
                throw new IllegalArgumentException(
                        "num classes must be 0 (unset) for task lm, the output is the vocabulary; was " + numClasses);
            }
            if (bidirectional) {
                throw new IllegalArgumentException("bidirectional must be false for task lm (it would see the next token)");
            }
            if (layerNorm) {
                throw new IllegalArgumentException("layer norm must be off for task lm (not built for it)");
            }
            if (pooling != Pooling.LAST) {
                throw new IllegalArgumentException("pooling must be last for task lm (it predicts at every position), was "
                        + pooling);
            }
            if (dropout != 0) {
                throw new IllegalArgumentException("dropout must be 0 for task lm (not built for it), was " + dropout);
            }
            if (tiedEmbedding && embeddingDim != hiddenSize) {
                throw new IllegalArgumentException("tied embedding needs embedding dim = hidden size, was "
                        + embeddingDim + " and " + hiddenSize);
            }
        }

        /**
         * An encoder-decoder's decoder has featureSize() units (it starts from the encoder's final
         * states) and no dropout, LayerNorm or pooling; a tied output layer is the target embedding.
         */
        private void checkEncoderDecoder() {
            atLeast("target vocab size", targetVocabSize, 2);
            if (cell != CellKind.LSTM) {
                throw new IllegalArgumentException("cell must be lstm for task seq2seq (the encoder-decoder is an"
                        + " LSTM's), was " + cell.id());
            }
            if (numClasses != 0) {
                throw new IllegalArgumentException("num classes must be 0 (unset) for task seq2seq, the output is the"
                        + " target vocabulary; was " + numClasses);
            }
            if (attention == null) {
                throw new IllegalArgumentException("attention must be one of [dot, general], was null");
            }
            if (layerNorm || pooling != Pooling.LAST || dropout != 0) {
                throw new IllegalArgumentException("layer norm, mean pooling and dropout must be off for task seq2seq"
                        + " (not built for it)");
            }
            int decoderHidden = hiddenSize * (bidirectional ? 2 : 1);
            if (tiedEmbedding && embeddingDim != decoderHidden) {
                throw new IllegalArgumentException("tied embedding needs embedding dim = the decoder's hidden size "
                        + decoderHidden + " (hidden size x directions), was " + embeddingDim);
            }
        }

        private static void atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
            }
        }
    }
}
