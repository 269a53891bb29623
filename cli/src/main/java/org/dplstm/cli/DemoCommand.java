package org.dplstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.training.provenance.AuditSettings;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.synthetic.SupportTickets;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.ScheduleKind;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.model.ModelShape;
import org.dplstm.training.model.ModelTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dplstm demo}: the built-in end-to-end job on synthetic support tickets. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generates synthetic customer-support tickets (with fake PII of every type), sanitizes them, trains a "
                    + "small LSTM classifier with DP-SGD at epsilon <= 8, and prints the privacy guarantee and the "
                    + "validation accuracy. Writes runs/demo-<timestamp>/ (or --out); runs again any time. With --task"
                    + " seq2seq it trains a reply model on the tickets and their agent replies instead (about ten minutes).",
            "",
            "Example:",
            "  ./dplstm demo",
            "  ./dplstm predict --model runs/demo-<timestamp> --text \"my parcel never arrived\"",
            "  ./dplstm demo --task seq2seq --out runs/replies",
            "  ./dplstm demo --write-data data/replies",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad input"})
public final class DemoCommand implements Callable<Integer> {

    /** Tickets generated (train and validation together; users are split, not tickets). */
    static final int TICKETS = 4000;
    static final long DATA_SEED = 2024;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "8", description = "Target epsilon, at most 8 (default: ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Output directory (default: runs/demo-<timestamp>).")
    Path out;

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Default: a GPU when DJL sees one, else the CPU.")
    String device;

    @Option(names = "--task", paramLabel = "classify|seq2seq", defaultValue = "classify",
            description = "classify (the ticket's class) or seq2seq (a reply model: ticket -> agent reply, scored by"
                    + " the reply family of the ticket's class on held-out tickets) (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--write-data", paramLabel = "DIR",
            description = "Only write the demo's ticket-reply pairs (replies-train.jsonl, replies-valid.jsonl; fields id,"
                    + " user, label, text, reply) into DIR for train --task seq2seq, and exit.")
    Path writeData;

    @Option(names = "--key-file", paramLabel = "F",
            description = "HMAC key of RUN_DIR/audit.jsonl, read from this file (default: DPLSTM_AUDIT_KEY_FILE, else unkeyed).")
    Path keyFile;

    @Option(names = "--ledger", paramLabel = "FILE",
            description = "Privacy ledger the run is recorded in (default: DPLSTM_LEDGER, else ~/.dplstm/ledger.jsonl).")
    Path ledgerFile;

    /**
     * The generated tickets have no input file: their fingerprint is the one {@link
     * DatasetFingerprint#of} gives their JSONL serialisation (so re-running the demo composes in
     * the ledger with earlier demo runs on the same tickets).
     */
    static String fingerprintOf(List<TextRecord> records) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder jsonl = new StringBuilder();
        for (TextRecord record : records) {
            Map<String, String> line = new LinkedHashMap<>();
            line.put("text", record.text());
            line.put("label", record.label());
            line.put("user", record.user());
            jsonl.append(json.writeValueAsString(line)).append('\n');
        }
        return DatasetFingerprint.ofContents(List.of(jsonl.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Mixin EngineThreads engineThreads;

    @Override
    public Integer call() throws IOException {
        engineThreads.apply();
        if (!(epsilon > 0 && epsilon <= 8)) {
            throw new IllegalArgumentException("epsilon must be in (0, 8], was " + epsilon);
        }
        ModelTask demoTask = ModelTask.parse(task);
        if (demoTask == ModelTask.LANGUAGE_MODEL) {
            throw new IllegalArgumentException("task must be one of [classify, seq2seq] for the demo, was " + task);
        }
        if (writeData != null) {
            ReplyDemo.writeData(writeData);
            return 0;
        }
        Path dir = out != null ? out
                : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (demoTask == ModelTask.SEQ2SEQ) {
            ReplyDemo.run(epsilon, dir, device, new TrainingJob.AuditOptions(keyFile, ledgerFile, null), System.err);
            return 0;
        }
        List<TextRecord> tickets = SupportTickets.generate(TICKETS, DATA_SEED);
        List<TextRecord> train = new ArrayList<>();
        List<TextRecord> valid = new ArrayList<>();
        for (TextRecord ticket : tickets) {
            // Split by user, so no one's tickets are on both sides.
            (Math.floorMod(ticket.user().hashCode(), 5) == 0 ? valid : train).add(ticket);
        }
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(epsilon).optDelta(1e-5)
                .optAccountant(AccountantKind.PLD).optExpectedBatchSize(200).optEpochs(12).optLearningRate(0.03)
                .optMaxGradNorm(1.0).optSchedule(ScheduleKind.COSINE).build();
        TrainingJob.Settings settings = new TrainingJob.Settings(new TrainingJob.Inputs(null, null, "text", "label", "user"),
                ModelTask.CLASSIFY, ModelShape.of(16, 32), new TrainingJob.TextSettings(32, "hash", 2048, true, null), config,
                device, null, Techniques.WORD_LEVEL, null);
        System.err.printf(Locale.ROOT, "demo: %d synthetic tickets (%d train, %d validation), 5 classes, sanitized%n",
                tickets.size(), train.size(), valid.size());
        AuditSettings audit = new TrainingJob.AuditOptions(keyFile, ledgerFile, null)
                .settingsFor(fingerprintOf(train), settings);
        TrainingResult result = TrainingJob.run(settings, train, valid, dir, System.err, audit);
        System.out.println("Guarantee: " + RunReport.guarantee(result));
        System.out.printf(Locale.ROOT, "Validation accuracy: %.4f (chance: %.2f)%n", result.validAccuracy(),
                1.0 / SupportTickets.LABELS.size());
        System.out.printf(Locale.ROOT, "Training took %.1f s. Run directory: %s%n", result.trainSeconds(), dir);
        System.out.println("Try: ./dplstm predict --model " + dir + " --text \"I was charged twice for my order\"");
        return 0;
    }
}
