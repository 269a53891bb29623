package org.dplstm.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.NoiseKind;
import org.dplstm.training.dpsgd.OptimizerKind;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.ScheduleKind;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.model.Pooling;
import org.dplstm.training.recurrent.CellKind;
import picocli.CommandLine.Option;

/**
 * The training options {@code train} and {@code audit privacy} share (a picocli mixin): data
 * files and fields, the privacy choice, optimisation, model shape, vocabulary and device. Each
 * command adds its own {@code --out} (and {@code train} its {@code --resume}).
 */
final class TrainingOptions {

    @Option(names = "--train", paramLabel = "FILE",
            description = "Training data (.csv, .tsv or .jsonl; for --task lm also a .txt file or a folder of them, one text a line).")
    Path train;

    @Option(names = "--valid", paramLabel = "FILE", description = "Validation data (optional).")
    Path valid;

    @Option(names = "--text-field", paramLabel = "NAME", defaultValue = "text", description = "Text field (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--label-field", paramLabel = "NAME", defaultValue = "label", description = "Label field (default: ${DEFAULT-VALUE}).")
    String labelField;

    @Option(names = "--user-field", paramLabel = "NAME", description = "User id field (needed by --privacy-unit user).")
    String userField;

    @Option(names = "--epsilon", paramLabel = "E", description = "Target epsilon: the noise is calibrated so the whole run spends at most E.")
    Double epsilon;

    @Option(names = "--noise-multiplier", paramLabel = "S", description = "Fixed noise multiplier sigma instead of a target epsilon.")
    Double noiseMultiplier;

    @Option(names = "--delta", paramLabel = "D", defaultValue = "1e-5", description = "Delta, well below 1/N (default: ${DEFAULT-VALUE}).")
    double delta;

    @Option(names = "--no-privacy", description = "Train the identical model without clipping or noise (a baseline; no guarantee).")
    boolean noPrivacy;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs (default: 40; 10 for --task lm).")
    Double epochs;

    @Option(names = "--batch-size", paramLabel = "B",
            description = "Expected batch size: each example is sampled with probability B/N (default: min("
                    + DpSgdConfig.AUTOMATIC_BATCH_CAP + ", N/2): DP-SGD learns more from large batches; 1024 for --task lm).")
    Double batchSize;

    @Option(names = "--max-grad-norm", paramLabel = "C", defaultValue = "1.0", description = "Per-example clipping norm (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.05", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "sgd (momentum 0.9) or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant", description = "constant, cosine or step (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warm-up", paramLabel = "STEPS", defaultValue = "0", description = "Linear learning-rate warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--cell", paramLabel = "lstm|gru", defaultValue = "lstm",
            description = "The recurrent layers' cell: lstm or gru (3 gates instead of 4: fewer parameters, a faster step)"
                    + " (default: ${DEFAULT-VALUE}).")
    String cell;

    @Option(names = "--embedding", paramLabel = "E", defaultValue = "16", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "32", description = "Hidden size of each recurrent layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "1", description = "Stacked recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--bidirectional", description = "Add a reverse direction to every recurrent layer.")
    boolean bidirectional;

    @Option(names = "--pooling", paramLabel = "last|mean", defaultValue = "last",
            description = "A classifier's features: the recurrent state at the last token, or the mean of the states over"
                    + " all tokens (default: ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--max-length", paramLabel = "T", description = "Tokens kept per text (default: 64; 200 for --task lm).")
    Integer maxLength;

    @Option(names = "--vocab", paramLabel = "hash|dp|FILE",
            description = "hash (feature hashing, leaks nothing), dp (DP selection, cost in the budget) or a public word-list file (default: hash).")
    String vocab;

    @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "4096", description = "Hash buckets for --vocab hash (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--privacy-unit", paramLabel = "UNIT", defaultValue = "example", description = "example or user (default: ${DEFAULT-VALUE}).")
    String privacyUnit;

    @Option(names = "--accountant", paramLabel = "NAME", defaultValue = "pld", description = "pld (tight) or rdp (default: ${DEFAULT-VALUE}).")
    String accountant;

    @Option(names = "--noise", paramLabel = "KIND", defaultValue = "secure",
            description = "secure (AES-CTR from SecureRandom) or fast (engine generator reseeded securely each step) (default: ${DEFAULT-VALUE}).")
    String noise;

    @Option(names = "--micro-batch", paramLabel = "M", defaultValue = "128", description = "Examples on the engine at once; memory only (default: ${DEFAULT-VALUE}).")
    int microBatch;

    @Option(names = "--no-sanitize", description = "Skip normalisation and PII redaction (only for already-sanitized data).")
    boolean noSanitize;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds initialisation and data order only, never noise or sampling.")
    Long seed;

    @Option(names = "--init", paramLabel = "RUN_DIR",
            description = "Start from this finished run's weights (a warm start, e.g. from a model trained on public text"
                    + " in the same task; it must use the same labels, sizes and vocabulary). Its own privacy cost is"
                    + " not counted: train it on public data.")
    Path init;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Default: a GPU when DJL sees one, else the CPU.")
    String device;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "classify",
            description = "classify or lm (next-token language model; see ./dplstm generate) (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--token-level", paramLabel = "char|word",
            description = "--task lm: char (fixed public character set, no vocabulary needed) or word (needs --vocab dp or a "
                    + "public word-list file) (default: char).")
    String tokenLevel;

    @Option(names = "--tie-embedding",
            description = "--task lm: the output layer reuses the embedding table (needs --embedding = --hidden).")
    boolean tieEmbedding;

    /**
     * Checks the options and resolves them into the job's settings; creates nothing. The command
     * checks its own --train/--out presence (and the run directory) first.
     */
    TrainingJob.Settings settings() {
        if (train == null) {
            throw new IllegalArgumentException("--train is required");
        }
        int choices = (epsilon != null ? 1 : 0) + (noiseMultiplier != null ? 1 : 0) + (noPrivacy ? 1 : 0);
        if (choices != 1) {
            throw new IllegalArgumentException("give exactly one of --epsilon, --noise-multiplier and --no-privacy, gave "
                    + (choices == 0 ? "none" : choices));
        }
        ModelTask modelTask = ModelTask.parse(task);
        CellKind recurrentCell = CellKind.parse(cell);
        boolean languageModel = modelTask == ModelTask.LANGUAGE_MODEL;
        if (!languageModel && (tokenLevel != null || tieEmbedding)) {
            throw new IllegalArgumentException("--token-level and --tie-embedding need --task lm, task was " + task);
        }
        TokenLevel level = languageModel ? TokenLevel.parse(tokenLevel == null ? "char" : tokenLevel) : null;
        if (languageModel && bidirectional) {
            throw new IllegalArgumentException("--bidirectional must be off for --task lm (it would see the next token)");
        }
        Pooling readout = Pooling.parse(pooling);
        if (languageModel && readout != Pooling.LAST) {
            throw new IllegalArgumentException("--pooling must be last for --task lm (it predicts at every position), was "
                    + readout);
        }
        String vocabChoice = vocab == null || vocab.equalsIgnoreCase("hash") || vocab.equalsIgnoreCase("dp")
                ? (vocab == null ? "hash" : vocab.toLowerCase(Locale.ROOT)) : Path.of(vocab).toAbsolutePath().toString();
        if (level == TokenLevel.CHAR) {
            if (vocab != null) {
                throw new IllegalArgumentException("--vocab must not be given with --token-level char"
                        + " (characters come from a fixed public set); use --token-level word for a word vocabulary");
            }
            vocabChoice = null;
        } else if (level == TokenLevel.WORD && vocabChoice.equals("hash")) {
            throw new IllegalArgumentException("--vocab must be dp or a public word-list file for --task lm"
                    + " --token-level word (hashed ids cannot be turned back into words), was hash");
        }
        PrivacyUnit unit = PrivacyUnit.parse(privacyUnit);
        if (unit == PrivacyUnit.USER && userField == null) {
            throw new IllegalArgumentException("--privacy-unit user needs --user-field (which field holds the user id)");
        }
        DpSgdConfig.Builder config = DpSgdConfig.builder();
        if (epsilon != null) {
            config.targetEpsilon(epsilon);
        } else if (noiseMultiplier != null) {
            config.noiseMultiplier(noiseMultiplier);
        } else {
            config.noPrivacy();
        }
        config.optDelta(delta).optEpochs(epochs != null ? epochs : languageModel ? 10 : 40);
        if (batchSize != null || languageModel) {
            config.optExpectedBatchSize(batchSize != null ? batchSize : 1024);
        }
        config.optMaxGradNorm(maxGradNorm)
                .optLearningRate(learningRate).optOptimizer(OptimizerKind.parse(optimizer))
                .optSchedule(ScheduleKind.parse(schedule)).optWarmUpSteps(warmUp)
                .optAccountant(AccountantKind.parse(accountant)).optPrivacyUnit(unit)
                .optNoise(NoiseKind.parse(noise)).optMicroBatchSize(microBatch);
        if (seed != null) {
            config.optSeed(seed);
        }
        TrainingJob.resolveDevice(device);
        int length = maxLength != null ? maxLength : languageModel ? 200 : 64;
        return new TrainingJob.Settings(train, valid, textField, labelField, userField, config.build(), recurrentCell,
                embedding, hidden, layers, bidirectional, readout, length, vocabChoice, vocabSize, !noSanitize, device,
                modelTask, level, tieEmbedding, init);
    }

    ReadOptions readOptions() {
        return readOptions(textField, labelField, userField);
    }

    static ReadOptions readOptions(String text, String label, String user) {
        return ReadOptions.builder().optTextField(text).optLabelField(label).optUserField(user).build();
    }
}
