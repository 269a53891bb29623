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
import picocli.CommandLine.Option;

/**
 * The training options {@code train} and {@code audit privacy} share (a picocli mixin): data
 * files and fields, the privacy choice, optimisation, model shape, vocabulary and device. Each
 * command adds its own {@code --out} (and {@code train} its {@code --resume}).
 */
final class TrainingOptions {

    @Option(names = "--train", paramLabel = "FILE", description = "Training data (.csv, .tsv or .jsonl).")
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

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "20", description = "Epochs (default: ${DEFAULT-VALUE}).")
    double epochs;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256",
            description = "Expected batch size: each example is sampled with probability B/N (default: ${DEFAULT-VALUE}).")
    double batchSize;

    @Option(names = "--max-grad-norm", paramLabel = "C", defaultValue = "1.0", description = "Per-example clipping norm (default: ${DEFAULT-VALUE}).")
    double maxGradNorm;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "0.02", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam", description = "sgd (momentum 0.9) or adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "NAME", defaultValue = "constant", description = "constant, cosine or step (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--warm-up", paramLabel = "STEPS", defaultValue = "0", description = "Linear learning-rate warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--embedding", paramLabel = "E", defaultValue = "64", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "128", description = "LSTM hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "1", description = "Stacked LSTM layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--bidirectional", description = "Add a reverse-direction LSTM.")
    boolean bidirectional;

    @Option(names = "--max-length", paramLabel = "T", defaultValue = "64", description = "Tokens kept per text (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--vocab", paramLabel = "hash|dp|FILE", defaultValue = "hash",
            description = "hash (feature hashing, leaks nothing), dp (DP selection, cost in the budget) or a public word-list file (default: ${DEFAULT-VALUE}).")
    String vocab;

    @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "8192", description = "Hash buckets for --vocab hash (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Default: a GPU when DJL sees one, else the CPU.")
    String device;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "classify", description = "classify (default).")
    String task;

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
        if (!task.equalsIgnoreCase("classify")) {
            throw new IllegalArgumentException("task must be one of classify, was " + task);
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
        config.optDelta(delta).optEpochs(epochs).optExpectedBatchSize(batchSize).optMaxGradNorm(maxGradNorm)
                .optLearningRate(learningRate).optOptimizer(OptimizerKind.parse(optimizer))
                .optSchedule(ScheduleKind.parse(schedule)).optWarmUpSteps(warmUp)
                .optAccountant(AccountantKind.parse(accountant)).optPrivacyUnit(unit)
                .optNoise(NoiseKind.parse(noise)).optMicroBatchSize(microBatch);
        if (seed != null) {
            config.optSeed(seed);
        }
        TrainingJob.resolveDevice(device);
        return new TrainingJob.Settings(train, valid, textField, labelField, userField, config.build(), embedding,
                hidden, layers, bidirectional, maxLength, vocab.toLowerCase(Locale.ROOT).equals("hash")
                        || vocab.equalsIgnoreCase("dp") ? vocab.toLowerCase(Locale.ROOT) : Path.of(vocab).toAbsolutePath().toString(),
                vocabSize, !noSanitize, device);
    }

    ReadOptions readOptions() {
        return readOptions(textField, labelField, userField);
    }

    static ReadOptions readOptions(String text, String label, String user) {
        return ReadOptions.builder().optTextField(text).optLabelField(label).optUserField(user).build();
    }
}
