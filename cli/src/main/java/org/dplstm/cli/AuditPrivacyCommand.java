package org.dplstm.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.dplstm.audit.empirical.PrivacyAuditResult;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.classifier.LabeledTexts;
import org.dplstm.training.classifier.TextClassifier;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.languagemodel.TextGenerator;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.privacyaudit.CanaryTemplate;
import org.dplstm.training.privacyaudit.LanguageModelPrivacyAudit;
import org.dplstm.training.privacyaudit.PlantedData;
import org.dplstm.training.privacyaudit.PrivacyAuditConfig;
import org.dplstm.training.privacyaudit.PrivacyAuditExperiment;
import org.dplstm.training.privacyaudit.PrivacyAuditOutcome;
import org.dplstm.training.privacyaudit.Seq2SeqPrivacyAudit;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.seq2seq.Translator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dplstm audit privacy}: train with planted canaries and measure what the model reveals. */
@Command(
        name = "privacy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Empirical privacy audit: trains exactly like `train` (same options) on the training data plus "
                    + "planted records, then measures what the model gives away and writes "
                    + "RUN_DIR/privacy_audit.json and RUN_DIR/privacy_audit.png next to the usual run files.",
            "  - Canary exposure (Carlini et al. 2019): --canaries random secrets ('my account pin is four eight "
                    + "two nine', digit words; numerals '4 8 2 9' for a character-level language model, so all "
                    + "candidates have the same length; drawn from a secure source), each inserted --repeats times (with a fixed "
                    + "label for a classifier, as a plain text line for --task lm); exposure = log2|R| - log2 rank of "
                    + "the true secret among all 10^D candidates by score (exact when 10^D <= 100000, else "
                    + "skew-normal extrapolation). The score is the loss of (text, label) for a classifier and the "
                    + "log-perplexity of the secret given the prefix (summed token NLL) for a language model. For "
                    + "--task seq2seq a canary is a pair: the fixed source 'what is my account pin' and the secret as "
                    + "target (numerals for a character-level target), scored by the NLL of the secret's target "
                    + "tokens given the source.",
            "  - Membership inference: the loss-threshold attack on the audit examples, included against "
                    + "excluded: AUC and TPR at FPR 0.001 and 0.01 (a language model's loss: mean NLL per token).",
            "  - One-run epsilon lower bound (Steinke, Nasr, Jagielski 2023) at 95%% confidence: --audit-examples "
                    + "examples are each included once with probability 1/2 (secure coin): for a classifier training "
                    + "records relabelled to another class, for --task lm fresh random lines (random letters at "
                    + "character level, random digit words at word level), for --task seq2seq random source -> random "
                    + "target pairs (loss: mean NLL per target token). Guesses from their losses at 4 fixed "
                    + "guess counts, union-bound corrected. "
                    + "If the run is (epsilon, delta)-DP the bound exceeds epsilon_formal with probability at most 5%%.",
            "",
            "Examples:",
            "  ./dplstm audit privacy --train train.csv --valid valid.csv --epsilon 3 --epochs 5 --out runs/audit-e3",
            "  ./dplstm audit privacy --train train.csv --no-privacy --canaries 20 --repeats 10 --out runs/audit-np",
            "  ./dplstm audit privacy --task lm --train quotes.txt --epsilon 3 --max-length 64 --out runs/lm-audit",
            "  ./dplstm audit privacy --task seq2seq --train pairs.jsonl --epsilon 8 --out runs/mt-audit",
            "  ./dplstm report runs/audit-e3",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error",
            "2:bad input, or a budget the ledger does not admit (nothing written)",
            "5:I/O failure (disk full, permission denied; the line names the path)",
            "7:numerical failure: non-finite loss or weights (the privacy spent so far stays recorded)",
            "130:stopped by Ctrl-C (143: SIGTERM); the run is left unfinished, and a private run's planned epsilon"
                    + " stays reserved in the ledger until dplstm ledger abandon RUN_DIR releases it"})
public final class AuditPrivacyCommand implements Callable<Integer> {

    @Mixin TrainingOptions options;

    @Mixin EngineThreads engineThreads;

    @Option(names = "--canaries", paramLabel = "N", defaultValue = "10", description = "Canaries (distinct secrets) (default: ${DEFAULT-VALUE}).")
    int canaries;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "10", description = "Times each canary is inserted (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--secret-digits", paramLabel = "D", defaultValue = "4",
            description = "Digits of each secret: |R| = 10^D candidates (default: ${DEFAULT-VALUE}).")
    int secretDigits;

    @Option(names = "--canary-label", paramLabel = "LABEL",
            description = "Label every canary with this class (default: a class drawn per canary; classifiers only).")
    String canaryLabel;

    @Option(names = "--audit-examples", paramLabel = "M", defaultValue = "1000",
            description = "One-run audit examples, each included with probability 1/2; at most half the training records "
                    + "(classifier) or the number of training lines (--task lm) (default: ${DEFAULT-VALUE}).")
    int auditExamples;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "New or empty output directory.")
    Path out;

    @Option(names = "--key-file", paramLabel = "F",
            description = "HMAC key of RUN_DIR/audit.jsonl, read from this file (default: DPLSTM_AUDIT_KEY_FILE, else unkeyed).")
    Path keyFile;

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "Privacy ledger the finished run is recorded in: an audit run spends the dataset's privacy "
                    + "too (default: DPLSTM_LEDGER, else ~/.dplstm/ledger.jsonl).")
    Path ledgerFile;

    @Override
    public Integer call() throws IOException {
        engineThreads.apply();
        PrintStream err = System.err;
        if (options.train == null) {
            throw new IllegalArgumentException("--train is required");
        }
        if (options.tune != null) {
            throw new IllegalArgumentException("--tune is for train, not audit privacy (the audit measures one"
                    + " training run's leakage)");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required: a new or empty run directory");
        }
        RunDirectory.checkUsable(out);
        TrainingJob.Settings settings = options.settings();
        PrivacyAuditConfig.Builder builder = PrivacyAuditConfig.builder().optCanaries(canaries).optRepeats(repeats)
                .optSecretDigits(secretDigits).optAuditExamples(auditExamples);
        if (canaryLabel != null) {
            builder.optCanaryLabel(canaryLabel);
        }
        boolean characterSecrets = settings.encoderDecoder() ? settings.pairs().targetTokenLevel() == TokenLevel.CHAR
                : settings.languageModel() && settings.tokenLevel() == TokenLevel.CHAR;
        if (characterSecrets) {
            // Equal-length candidates: digit words would rank short words ("one") above long ones.
            builder.optSecretSpelling(CanaryTemplate.Spelling.NUMERALS);
        }
        PrivacyAuditConfig config = builder.build();
        // The run's audit trail fingerprints the raw training file, before canaries are planted.
        TrainingJob.AuditOptions auditOptions = new TrainingJob.AuditOptions(keyFile, ledgerFile, null);
        String fingerprint = TrainingJob.fingerprintOf(settings.train());
        AuditSettings audit = auditOptions.settingsFor(fingerprint, settings);
        PrivacyAuditOutcome outcome;
        TrainingResult result;
        if (settings.encoderDecoder()) {
            Seq2SeqPrivacyAudit experiment = new Seq2SeqPrivacyAudit(config);
            List<TextRecord> train = settings.read(settings.train());
            List<TextRecord> valid = settings.valid() == null ? null : settings.read(settings.valid());
            PlantedData planted = experiment.plant(train, settings.pairs().sourceTokenLevel(),
                    settings.pairs().targetTokenLevel());
            printPlanted(planted, err);
            result = TrainingJob.run(settings, planted.trainingRecords(), valid, out, err, audit,
                    new TrainingJob.BeforeWriting(prepared -> { }, prepared -> { },
                            prepared -> experiment.checkSecretsVisible(prepared.encoder())));
            try (Translator model = Translator.load(out, TrainingJob.resolveDevice(settings.device()), audit.key());
                    ProgressBar bar = scoringBar(experiment.scoringCount(planted), err)) {
                outcome = experiment.measure(model.model(), model.encoder(), planted, result, bar::stepBy);
            }
        } else if (settings.languageModel()) {
            LanguageModelPrivacyAudit experiment = new LanguageModelPrivacyAudit(config);
            List<TextRecord> train = settings.read(settings.train());
            List<TextRecord> valid = settings.valid() == null ? null : settings.read(settings.valid());
            PlantedData planted = experiment.plant(train, settings.tokenLevel());
            printPlanted(planted, err);
            result = TrainingJob.run(settings, planted.trainingRecords(), valid, out, err, audit,
                    new TrainingJob.BeforeWriting(prepared -> { },
                            prepared -> experiment.checkSecretsVisible(prepared.encoder())));
            try (TextGenerator model = TextGenerator.load(out, TrainingJob.resolveDevice(settings.device()), audit.key());
                    ProgressBar bar = scoringBar(experiment.scoringCount(planted), err)) {
                outcome = experiment.measure(model.model(), model.encoder(), planted, result, bar::stepBy);
            }
        } else {
            PrivacyAuditExperiment experiment = new PrivacyAuditExperiment(config);
            List<TextRecord> train = LabeledTexts.read(settings.train(), options.readOptions());
            List<TextRecord> valid = settings.valid() == null ? null : LabeledTexts.read(settings.valid(), options.readOptions());
            PlantedData planted = experiment.plant(train);
            printPlanted(planted, err);
            // the defaults read the training file's labels and size, as train's do (not the canaries')
            settings = options.settings(train, true);
            audit = auditOptions.settingsFor(fingerprint, settings);
            result = TrainingJob.run(settings, planted.trainingRecords(), valid, out, err, audit,
                    new TrainingJob.BeforeWriting(prepared -> experiment.checkSecretsVisible(prepared.encoder()),
                            prepared -> { }));
            try (TextClassifier classifier = TextClassifier.load(out, TrainingJob.resolveDevice(settings.device()), audit.key());
                    ProgressBar bar = scoringBar(experiment.scoringCount(planted), err)) {
                outcome = experiment.measure(classifier, planted, result, bar::stepBy);
            }
        }
        byte[] figures = ChainedLines.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(outcome.toJson());
        byte[] chart = PrivacyAuditChart.png(outcome);
        AtomicFile.writeAll(List.of(new AtomicFile.Part(RunFiles.of(out).privacyAudit(), stream -> stream.write(figures)),
                new AtomicFile.Part(RunFiles.of(out).privacyAuditChart(), stream -> stream.write(chart))));
        printSummary(outcome, result);
        return 0;
    }

    private static void printPlanted(PlantedData planted, PrintStream err) {
        err.printf(Locale.ROOT, "audit: %d canaries x %d repeats, %d audit examples (%d included), %d training records%n",
                planted.canaries().size(), planted.repeats(), planted.auditExamples().size(),
                planted.includedAuditExamples(), planted.trainingRecords().size());
    }

    private static ProgressBar scoringBar(long count, PrintStream err) {
        return ProgressBars.builder("audit scoring", count, err).continuousUpdate().build();
    }

    private void printSummary(PrivacyAuditOutcome outcome, TrainingResult result) {
        PrivacyAuditResult r = outcome.result();
        System.out.println(RunReport.guarantee(result));
        System.out.printf(Locale.ROOT, "exposure: mean %.2f bits (max %.2f, %s)%n", r.meanExposure(),
                outcome.log2SpaceSize(), outcome.exactExposure() ? "exact rank" : "extrapolated");
        System.out.printf(Locale.ROOT, "membership inference: AUC %.4f, TPR %.4f at FPR 0.001, %.4f at FPR 0.01%n",
                r.membershipInference().auc(), r.membershipInference().tprAtFpr001(), r.membershipInference().tprAtFpr01());
        System.out.printf(Locale.ROOT, "epsilon lower bound (%.0f%% confidence): %.4f; formal epsilon: %s%n",
                100 * outcome.confidence(), r.epsilonLowerBound(),
                Double.isFinite(r.epsilonFormal()) ? String.format(Locale.ROOT, "%.4f", r.epsilonFormal()) : "none (no privacy)");
        System.out.println("run directory: " + out);
    }
}
