package org.dplstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.synthetic.SupportReplies;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.ScheduleKind;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.languagemodel.TokenLevel;
import org.dplstm.training.model.ModelShape;
import org.dplstm.training.model.ModelTask;
import org.dplstm.training.provenance.AuditSettings;
import org.dplstm.training.seq2seq.TranslationOptions;
import org.dplstm.training.seq2seq.Translator;

/**
 * {@code dplstm demo --task seq2seq}: a reply model on the synthetic tickets. Generates tickets
 * with agent replies ({@link SupportReplies}), splits them by user, trains an encoder-decoder
 * ticket → reply with DP-SGD, then answers every held-out ticket and counts how many replies
 * belong to the reply family of the ticket's class. Also writes the pairs as files for {@code
 * train --task seq2seq} ({@link #writeData}).
 */
final class ReplyDemo {

    /** Tickets generated (train and validation together; users are split, not tickets). */
    static final int TICKETS = 16000;
    /** Held-out tickets answered (the first of the held-out users'): enough for the family share, quick to decode. */
    static final int HELD_OUT = 1000;
    static final long DATA_SEED = 2024;
    static final String TRAIN_FILE = "replies-train.jsonl";
    static final String VALID_FILE = "replies-valid.jsonl";
    /** The public word list of both sides (the generator's template words, {@link SupportReplies#publicWords()}). */
    static final String WORDS_FILE = "replies-words.txt";
    // the model and plan, chosen on the held-out tickets at epsilon 8 (README)
    static final int EMBEDDING = 32;
    static final int HIDDEN = 64;
    static final int MAX_LENGTH = 60;
    static final boolean BIDIRECTIONAL = true;
    static final double BATCH = 512;
    static final double EPOCHS = 30;
    static final double LEARNING_RATE = 0.03;
    /** Cosine decay: at a constant rate, runs that had learned the mapping drifted back late (README). */
    static final ScheduleKind SCHEDULE = ScheduleKind.COSINE;

    private ReplyDemo() {}

    /** Ticket-reply pairs of the demo, split by user: [train, valid]; records' label is the class. */
    static List<List<TextRecord>> pairs() {
        List<TextRecord> train = new ArrayList<>();
        List<TextRecord> valid = new ArrayList<>();
        for (TextRecord pair : SupportReplies.generate(TICKETS, DATA_SEED)) {
            // split by user as the classifier demo does, so no one's tickets are on both sides
            (Math.floorMod(pair.user().hashCode(), 5) == 0 ? valid : train).add(pair);
        }
        return List.of(train, valid.subList(0, Math.min(HELD_OUT, valid.size())));
    }

    /**
     * Writes {@value #TRAIN_FILE}, {@value #VALID_FILE} and {@value #WORDS_FILE} into {@code dir}
     * (new files only). A path that cannot be the folder is bad input, as a file in it is.
     */
    static void writeData(Path dir) throws IOException {
        DirectoryOption.refuseDanglingLink("--write-data", dir, "give a directory");
        if (!Files.exists(dir)) {
            DirectoryOption.checkCreatable("--write-data", dir);
        } else if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--write-data must be a directory (new or existing), was a file: " + dir);
        }
        Path train = dir.resolve(TRAIN_FILE);
        Path valid = dir.resolve(VALID_FILE);
        Path words = dir.resolve(WORDS_FILE);
        for (Path file : List.of(train, valid, words)) {
            if (Files.exists(file)) {
                throw new IllegalArgumentException("--write-data must not overwrite an existing file, found " + file);
            }
        }
        Files.createDirectories(dir);
        List<List<TextRecord>> pairs = pairs();
        SupportReplies.writeJsonl(pairs.get(0), train);
        SupportReplies.writeJsonl(pairs.get(1), valid);
        AtomicFile.writeString(words, publicWordList());
        System.out.printf(Locale.ROOT, "wrote %s (%d pairs) and %s (%d pairs), fields %s, and the public word list %s%n",
                train, pairs.get(0).size(), valid, pairs.get(1).size(), SupportReplies.FIELDS, words);
    }

    /** Trains the reply model at {@code epsilon} into {@code dir} and reports the family match on held-out tickets. */
    static void run(double epsilon, Path dir, String device, TrainingJob.AuditOptions auditOptions, PrintStream err)
            throws IOException {
        List<List<TextRecord>> pairs = pairs();
        List<TextRecord> train = asPairs(pairs.get(0));
        List<TextRecord> valid = asPairs(pairs.get(1));
        DpSgdConfig config = DpSgdConfig.builder().targetEpsilon(epsilon).optDelta(1e-5)
                .optAccountant(AccountantKind.PLD).optExpectedBatchSize(BATCH).optEpochs(EPOCHS)
                .optLearningRate(LEARNING_RATE).optSchedule(SCHEDULE).optMaxGradNorm(1.0).build();
        // word level on both sides with the generator's public word list: sequences 4x shorter than characters
        Path wordsDir = Files.createTempDirectory("dplstm-reply-words");
        wordsDir.toFile().deleteOnExit();
        Path words = wordsDir.resolve(WORDS_FILE);
        words.toFile().deleteOnExit();
        AtomicFile.writeString(words, publicWordList());
        String wordList = words.toAbsolutePath().toString();
        TrainingJob.Settings settings = new TrainingJob.Settings(new TrainingJob.Inputs(null, null, "text", null, "user"),
                ModelTask.SEQ2SEQ, ModelShape.of(EMBEDDING, HIDDEN).withBidirectional(BIDIRECTIONAL),
                new TrainingJob.TextSettings(MAX_LENGTH, null, 0, true, null), config, device, null, Techniques.none(),
                new TrainingJob.PairSettings("text", SupportReplies.REPLY_FIELD, TokenLevel.WORD, TokenLevel.WORD,
                        wordList, wordList, "general"));
        err.printf(Locale.ROOT, "demo: %d synthetic tickets with agent replies (%d for training, %d of the held-out users' for validation), sanitized%n",
                TICKETS, train.size(), valid.size());
        AuditSettings audit = auditOptions.settingsFor(fingerprintOf(train), settings);
        TrainingResult result = TrainingJob.run(settings, train, valid, dir, err, audit);
        System.out.println("Guarantee: " + RunReport.guarantee(result));
        List<TextRecord> heldOut = pairs.get(1);
        List<String> replies;
        // greedy: beam 4 matched fewer families on two of three models (README, "Translation and replies")
        try (Translator translator = Translator.load(dir, TrainingJob.resolveDevice(device), audit.key())) {
            replies = translator.translate(heldOut.stream().map(TextRecord::text).toList(),
                    new TranslationOptions(MAX_LENGTH + 1, 1));
        }
        int matched = 0;
        for (int i = 0; i < heldOut.size(); i++) {
            if (SupportReplies.familyOf(replies.get(i)).filter(heldOut.get(i).label()::equals).isPresent()) {
                matched++;
            }
        }
        System.out.printf(Locale.ROOT, "Reply family of the ticket's class: %d of %d held-out tickets (%.1f%%)%n",
                matched, heldOut.size(), 100.0 * matched / heldOut.size());
        for (int i = 0; i < Math.min(3, heldOut.size()); i++) {
            System.out.printf(Locale.ROOT, "  [%s] %s%n    -> %s%n", heldOut.get(i).label(), heldOut.get(i).text(),
                    replies.get(i));
        }
        System.out.printf(Locale.ROOT, "Training took %.1f s. Run directory: %s%n", result.trainSeconds(), dir);
        System.out.println("Try: ./dplstm translate --model " + dir + " --text \"my parcel never arrived\"");
    }

    /** {@link SupportReplies#publicWords()}, one a line. */
    private static String publicWordList() {
        return String.join("\n", SupportReplies.publicWords()) + "\n";
    }

    /** A pair record as training reads it: the ticket as text, the reply as label. */
    private static List<TextRecord> asPairs(List<TextRecord> pairs) {
        return pairs.stream().map(p -> new TextRecord(p.source(), p.line(), p.text(),
                (String) p.fields().get(SupportReplies.REPLY_FIELD), p.user(), p.fields())).toList();
    }

    /** The fingerprint of the pairs' JSONL serialisation (ticket, reply, user), as the classifier demo's. */
    private static String fingerprintOf(List<TextRecord> pairs) throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder jsonl = new StringBuilder();
        for (TextRecord pair : pairs) {
            Map<String, String> line = new LinkedHashMap<>();
            line.put("text", pair.text());
            line.put("reply", pair.label());
            line.put("user", pair.user());
            jsonl.append(json.writeValueAsString(line)).append('\n');
        }
        return DatasetFingerprint.ofContents(List.of(jsonl.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
