package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.provenance.AuditTrail;
import org.dplstm.training.seq2seq.TranslationScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dplstm train}: DP-SGD training of an LSTM text classifier from a CSV or JSONL file, or
 * ({@code --task lm}) of an LSTM language model from plain text.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a text classifier (by default a linear model over hashed character n-grams, --model lstm for an"
                    + " LSTM; see --model) (or with --task lm an LSTM next-token language model, with --task seq2seq an"
                    + " attentional encoder-decoder on text pairs) with DP-SGD (Poisson sampling, per-example clipping, Gaussian noise "
                    + "from a secure source) and writes the model, checkpoints and report.json to RUN_DIR. "
                    + "Text is sanitized (PII redacted) before tokenizing. Give exactly one of --epsilon, "
                    + "--noise-multiplier and --no-privacy.",
            "",
            "Examples:",
            "  ./dplstm train --train train.jsonl --valid valid.jsonl --epsilon 3 --delta 1e-5 --out runs/r1",
            "  ./dplstm train --train t.csv --user-field user --privacy-unit user --epsilon 8 --out runs/u1",
            "  ./dplstm train --task lm --train quotes.txt --valid quotes-valid.txt --epsilon 8 --out runs/lm1",
            "  ./dplstm train --task lm --train quotes.txt --epsilon 4 --dataset-budget 12 --key-file /secure/audit.key --out runs/lm2",
            "  ./dplstm train --task seq2seq --train pairs.jsonl --valid pairs-valid.jsonl --epsilon 8 --out runs/mt1",
            "  ./dplstm train --train train.jsonl --valid valid.jsonl --epsilon 3 --tune 3 --out runs/t1",
            "  ./dplstm train --resume runs/r1",
            "  ./dplstm train --train t.jsonl --epsilon 2 --dataset-budget 6 --out runs/r2",
            "  ./dplstm train --train tickets.parquet --spark-master local[2] --epsilon 3 --out runs/s1",
            "",
            "Every run, classifier, language model or encoder-decoder, keeps a hash-chained audit log, RUN_DIR/audit.jsonl, checked by "
                    + "'dplstm audit verify RUN_DIR' (--resume continues it); a finished private run is recorded in the "
                    + "privacy ledger ('dplstm ledger'); --key-file, --ledger and --dataset-budget apply to every task.",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad input, or a budget the ledger does not admit (nothing"
                + " written)", "5:I/O failure (disk full, permission denied; the line names the path)",
            "7:numerical failure: non-finite loss or weights (the privacy spent so far stays recorded)",
            "130:stopped by Ctrl-C (143: SIGTERM); the line says whether and how the run can be resumed"})
public final class TrainCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin TrainingOptions options;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "New or empty output directory.")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue a checkpointed run with the settings it recorded (its budget already spent is kept);"
                    + " only --key-file, --ledger, --threads, --device, --spark-master, --spark-partitions and --gpus"
                    + " may be given with it.")
    Path resume;

    @Option(names = "--key-file", paramLabel = "F",
            description = "HMAC key of RUN_DIR/audit.jsonl, read from this file (default: the file named by "
                    + "DPLSTM_AUDIT_KEY_FILE, else an unkeyed SHA-256 chain). Keep it outside RUN_DIR.")
    Path keyFile;

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "Privacy ledger the finished run is recorded in (default: DPLSTM_LEDGER, else ~/.dplstm/ledger.jsonl).")
    Path ledgerFile;

    @Option(names = "--dataset-budget", paramLabel = "EPS",
            description = "Refuse (exit 2, nothing written) if this run's planned epsilon, composed with every earlier "
                    + "run on the same dataset in the ledger, would exceed EPS at the smallest delta any of them or this "
                    + "run uses.")
    Double datasetBudget;

    @Mixin EngineThreads engineThreads;

    @Mixin ExecutionOptions execution;

    @Override
    public Integer call() throws IOException {
        engineThreads.apply();
        execution.applyEngineThreads(engineThreads);
        var err = System.err;
        TrainingJob.AuditOptions audit = new TrainingJob.AuditOptions(keyFile, ledgerFile, datasetBudget);
        if (resume != null) {
            refuseOptionsResumeIgnores();
            TrainingJob.Settings settings = TrainingJob.loadSettings(resume);
            String device = options.device;
            if (device != null) {
                settings = settings.withDevice(device);
            }
            if (settings.train() == null) {
                throw new IllegalArgumentException("--resume needs a run trained from a file (a demo run cannot be resumed), was "
                        + resume);
            }
            AuditSettings auditSettings = audit.settingsFor(TrainingJob.fingerprintOf(settings.train()), settings);
            if (AuditTrail.completeIfFinished(resume, auditSettings)) {
                err.println("the run has finished (its audit log ends with run_end): nothing to resume");
                System.out.println("run directory: " + resume);
                return 0;
            }
            execution.requireSupported(settings);
            try (Execution on = execution.open(Arrays.asList(settings.train(), settings.valid()), settings.device())) {
                on.checkSupports(settings.config());
                List<TextRecord> trainRecords = on.read(settings, settings.train());
                List<TextRecord> validRecords = settings.valid() == null ? null : on.read(settings, settings.valid());
                TrainingResult result;
                try (InterruptNotice notice = InterruptNotice.during(resume, settings.config().isPrivate(), true, err)) {
                    result = TrainingJob.resume(resume, trainRecords, validRecords, settings, err, auditSettings,
                            on.stepSums());
                }
                printSummary(result, resume, settings);
            }
            return 0;
        }
        if (options.train == null) {
            throw new IllegalArgumentException("--train is required (or --resume RUN_DIR)");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required: a new or empty run directory");
        }
        RunDirectory.checkUsable(out);
        TrainingJob.Settings settings = options.settings();
        execution.requireSupported(settings);
        try (Execution on = execution.open(Arrays.asList(settings.train(), settings.valid()), settings.device())) {
            List<TextRecord> trainRecords = on.read(settings, settings.train());
            settings = options.settings(trainRecords, on.stepsRunHere(), on.stepSums() == null);
            execution.requireSupported(settings); // the final model may differ from the provisional one
            on.checkSupports(settings.config());
            List<TextRecord> validRecords = settings.valid() == null ? null : on.read(settings, settings.valid());
            AuditSettings auditSettings = audit.settingsFor(TrainingJob.fingerprintOf(settings.train()), settings);
            TrainingResult result;
            try (InterruptNotice notice = InterruptNotice.during(out, settings.config().isPrivate(),
                    settings.techniques().tune() == null, err)) {
                result = TrainingJob.run(settings, trainRecords, validRecords, out, err, auditSettings, on.stepSums());
            }
            printSummary(result, out, settings);
        }
        return 0;
    }

    /**
     * Options --resume takes: where the run's audit key and ledger are, and how this process runs
     * the remaining steps (threads, device, Spark or GPUs). The run's settings (data, privacy,
     * model, optimisation, --out) are the ones its run.json records; another value would be
     * ignored, so any other option is refused.
     */
    static final List<String> RESUME_OPTIONS = List.of("--resume", "--key-file", "--ledger", "--threads", "--device",
            "--spark-master", "--spark-partitions", "--gpus");

    private void refuseOptionsResumeIgnores() {
        List<String> refused = new ArrayList<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            String name = option.longestName();
            if (!RESUME_OPTIONS.contains(name) && !refused.contains(name)) {
                refused.add(name);
            }
        }
        if (refused.equals(List.of("--dataset-budget"))) {
            throw new IllegalArgumentException("--dataset-budget applies to new runs (checked before they start), "
                    + "not to --resume");
        }
        if (refused.equals(List.of("--tune"))) {
            throw new IllegalArgumentException("--tune applies to new runs, not to --resume (a tuned run keeps no"
                    + " checkpoint: its trials run in one go)");
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", refused) + " cannot be combined with --resume, which"
                    + " continues the run with the settings it recorded; --resume takes only "
                    + String.join(", ", RESUME_OPTIONS.subList(1, RESUME_OPTIONS.size())));
        }
    }

    private static void printSummary(TrainingResult result, Path dir, TrainingJob.Settings settings) {
        System.out.println(RunReport.guarantee(result));
        if (settings.perTokenLoss()) {
            System.out.printf(Locale.ROOT, "validation perplexity: %s%n", Double.isNaN(result.validLoss())
                    ? "n/a (no --valid)" : String.format(Locale.ROOT, "%.3f", Math.exp(result.validLoss())));
            if (settings.encoderDecoder() && !result.epochs().isEmpty()) {
                Map<String, Double> scores = result.epochs().get(result.epochs().size() - 1).validMetrics();
                if (scores.containsKey(TranslationScores.BLEU)) {
                    System.out.printf(Locale.ROOT, "validation BLEU: %.2f, chrF: %.2f (greedy decoding)%n",
                            scores.get(TranslationScores.BLEU), scores.get(TranslationScores.CHRF));
                }
            }
        } else {
            System.out.printf(Locale.ROOT, "validation accuracy: %s%n", Double.isNaN(result.validAccuracy())
                    ? "n/a (no --valid)" : String.format(Locale.ROOT, "%.4f", result.validAccuracy()));
        }
        System.out.println("run directory: " + dir);
    }
}
