package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.training.classifier.LabeledTexts;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.NoiseKind;
import org.dplstm.training.dpsgd.OptimizerKind;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.dpsgd.ScheduleKind;
import org.dplstm.training.dpsgd.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dplstm train}: DP-SGD training of an LSTM text classifier from a CSV or JSONL file. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains an LSTM text classifier with DP-SGD (Poisson sampling, per-example clipping, Gaussian noise "
                    + "from a secure source) and writes the model, checkpoints and report.json to RUN_DIR. "
                    + "Text is sanitized (PII redacted) before tokenizing. Give exactly one of --epsilon, "
                    + "--noise-multiplier and --no-privacy.",
            "",
            "Examples:",
            "  ./dplstm train --train train.jsonl --valid valid.jsonl --epsilon 3 --delta 1e-5 --out runs/r1",
            "  ./dplstm train --train t.csv --user-field user --privacy-unit user --epsilon 8 --out runs/u1",
            "  ./dplstm train --resume runs/r1",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad input (nothing written)"})
public final class TrainCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

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

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    double epochs;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "1024",
            description = "Expected batch size: each example is sampled with probability B/N (default: ${DEFAULT-VALUE}).")
    double batchSize;

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

    @Option(names = "--embedding", paramLabel = "E", defaultValue = "16", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "32", description = "LSTM hidden size (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Default: a GPU when DJL sees one, else the CPU.")
    String device;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "classify", description = "classify (default).")
    String task;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "New or empty output directory.")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a checkpointed run (its budget already spent is kept).")
    Path resume;

    @Override
    public Integer call() throws IOException {
        var err = System.err;
        if (resume != null) {
            TrainingJob.Settings settings = TrainingJob.loadSettings(resume);
            if (device != null) {
                settings = new TrainingJob.Settings(settings.train(), settings.valid(), settings.textField(),
                        settings.labelField(), settings.userField(), settings.config(), settings.embedding(),
                        settings.hidden(), settings.layers(), settings.bidirectional(), settings.maxLength(),
                        settings.vocab(), settings.vocabSize(), settings.sanitize(), device);
            }
            ReadOptions options = readOptions(settings.textField(), settings.labelField(), settings.userField());
            List<TextRecord> trainRecords = LabeledTexts.read(settings.train(), options);
            List<TextRecord> validRecords = settings.valid() == null ? null : LabeledTexts.read(settings.valid(), options);
            TrainingResult result = TrainingJob.resume(resume, trainRecords, validRecords, settings, err);
            printSummary(result, resume);
            return 0;
        }
        TrainingJob.Settings settings = settings();
        ReadOptions options = readOptions(textField, labelField, userField);
        List<TextRecord> trainRecords = LabeledTexts.read(train, options);
        List<TextRecord> validRecords = valid == null ? null : LabeledTexts.read(valid, options);
        TrainingResult result = TrainingJob.run(settings, trainRecords, validRecords, out, err);
        printSummary(result, out);
        return 0;
    }

    private TrainingJob.Settings settings() throws IOException {
        if (train == null) {
            throw new IllegalArgumentException("--train is required (or --resume RUN_DIR)");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required: a new or empty run directory");
        }
        RunDirectory.checkUsable(out);
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

    private static ReadOptions readOptions(String text, String label, String user) {
        return ReadOptions.builder().optTextField(text).optLabelField(label).optUserField(user).build();
    }

    private static void printSummary(TrainingResult result, Path dir) {
        System.out.println(RunReport.guarantee(result));
        System.out.printf(Locale.ROOT, "validation accuracy: %s%n",
                Double.isNaN(result.validAccuracy()) ? "n/a (no --valid)" : String.format(Locale.ROOT, "%.4f", result.validAccuracy()));
        System.out.println("run directory: " + dir);
    }
}
