package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private record Run(int exitCode, String out, String err) {}

    /** Every train run of these tests records into a ledger in the temporary directory, never ~/.dplstm. */
    private Run run(String... args) {
        if (args[0].equals("train") && !List.of(args).contains("--ledger")) {
            List<String> withLedger = new ArrayList<>(List.of(args));
            withLedger.addAll(List.of("--ledger", dir.resolve("ledger.jsonl").toString()));
            args = withLedger.toArray(String[]::new);
        }
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path jsonl(String name, int count, String... labels) throws IOException {
        return TicketFiles.jsonl(dir, name, count, labels);
    }


    @Test
    void badInputExitsTwoWithAClearMessageAndWritesNothing() throws IOException {
        Path train = jsonl("train.jsonl", 60, "billing", "access");
        Path out = dir.resolve("run");
        String o = out.toString();
        String t = train.toString();
        assertBadInputWritesNothing(out, "give exactly one of --epsilon, --noise-multiplier and --no-privacy",
                "train", "--train", t, "--epsilon", "3", "--noise-multiplier", "1", "--out", o);
        assertBadInputWritesNothing(out, "give exactly one of --epsilon, --noise-multiplier and --no-privacy, gave none",
                "train", "--train", t, "--out", o);
        assertBadInputWritesNothing(out, "at least 2 distinct labels",
                "train", "--train", jsonl("one.jsonl", 30, "billing").toString(), "--epsilon", "3", "--batch-size", "10", "--out", o);
        assertBadInputWritesNothing(out, "label must be one of the training labels",
                "train", "--train", t, "--valid", jsonl("v.jsonl", 20, "billing", "shipping").toString(), "--epsilon", "3",
                "--batch-size", "10", "--out", o);
        assertBadInputWritesNothing(out, "batch size must be <= the number of training examples (60), was 1024",
                "train", "--train", t, "--epsilon", "3", "--batch-size", "1024", "--out", o);
        assertBadInputWritesNothing(out, "delta must be in (0, 1), was 2.0",
                "train", "--train", t, "--epsilon", "3", "--delta", "2", "--out", o);
        assertBadInputWritesNothing(out, "optimizer must be one of sgd|adam, was rmsprop",
                "train", "--train", t, "--epsilon", "3", "--optimizer", "rmsprop", "--out", o);
        assertBadInputWritesNothing(out, "pooling must be one of [last, mean], was max",
                "train", "--train", t, "--epsilon", "3", "--pooling", "max", "--out", o);
        assertBadInputWritesNothing(out, "--pooling must be last for --task lm (it predicts at every position), was mean",
                "train", "--train", t, "--task", "lm", "--epsilon", "3", "--pooling", "mean", "--out", o);
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "");
        assertBadInputWritesNothing(out, "empty.jsonl holds no records",
                "train", "--train", empty.toString(), "--epsilon", "3", "--out", o);
        Path broken = dir.resolve("broken.jsonl");
        Files.write(broken, List.of("{\"text\": \"a\", \"label\": \"x\"}", "{\"text\": \"b\""));
        assertBadInputWritesNothing(out, "broken.jsonl:2", "train", "--train", broken.toString(), "--epsilon", "3", "--out", o);
        Path noLabel = dir.resolve("nolabel.jsonl");
        Files.write(noLabel, List.of("{\"text\": \"a\", \"label\": \"x\"}", "{\"text\": \"b\"}"));
        assertBadInputWritesNothing(out, "nolabel.jsonl:2", "train", "--train", noLabel.toString(), "--epsilon", "3", "--out", o);
    }

    @Test
    void aNonEmptyOutputDirectoryIsRefusedAndLeftUntouched() throws IOException {
        Path train = jsonl("train.jsonl", 60, "billing", "access");
        Path out = Files.createDirectory(dir.resolve("run"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Run run = run("train", "--train", train.toString(), "--no-privacy", "--batch-size", "10", "--out", out.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--out must be a new or empty directory");
        try (var files = Files.list(out)) {
            assertThat(files.toList()).containsExactly(out.resolve("keep.txt"));
        }
        assertThat(Files.readString(out.resolve("keep.txt"))).isEqualTo("mine");
    }

    @Test
    void trainWritesReportAndModelThatPredictUsesAndResumeKeepsTheBudget() throws IOException {
        Path train = jsonl("train.jsonl", 200, "billing", "access");
        Path valid = jsonl("valid.jsonl", 60, "billing", "access");
        Path out = dir.resolve("run");
        Run trained = run("train", "--train", train.toString(), "--valid", valid.toString(), "--noise-multiplier", "1.0",
                "--delta", "0.01", "--accountant", "rdp", "--epochs", "4", "--batch-size", "40", "--embedding", "8",
                "--hidden", "8", "--vocab-size", "64", "--lr", "0.05", "--seed", "3", "--out", out.toString());
        assertThat(trained.exitCode()).as(trained.err()).isEqualTo(0);
        assertThat(trained.err()).contains("warning: delta 0.01 is not below 1/N = 0.005");
        @SuppressWarnings("unchecked")
        Map<String, Object> report = json.readValue(out.resolve("report.json").toFile(), Map.class);
        assertThat(report).containsKeys("private", "valid_accuracy", "epsilon", "epsilon_breakdown", "accountant",
                "delta", "noise_multiplier", "sample_rate", "steps", "train_seconds", "model", "config");
        assertThat(report.get("private")).isEqualTo(true);
        assertThat(report.get("steps")).isEqualTo(20);
        assertThat(report.get("sample_rate")).isEqualTo(0.2);
        assertThat(report.get("accountant")).isEqualTo("rdp");
        assertThat(String.valueOf(((Map<?, ?>) report.get("epsilon_breakdown")).keySet())).isEqualTo("[dp_sgd]");
        double epsilon = ((Number) report.get("epsilon")).doubleValue();
        assertThat(trained.out()).contains("differential privacy per example");

        Run predicted = run("predict", "--model", out.toString(), "--text", "refund my payment please",
                "--text", "reset my password", "--format", "json");
        assertThat(predicted.exitCode()).as(predicted.err()).isEqualTo(0);
        List<String> lines = predicted.out().lines().toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            Map<?, ?> prediction = json.readValue(line, Map.class);
            assertThat(prediction.get("label")).isIn("billing", "access");
            assertThat(((Number) prediction.get("probability")).doubleValue()).isBetween(0.5, 1.0);
        }

        // Resuming a finished run takes no step and keeps the spent budget.
        Run resumed = run("train", "--resume", out.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> after = json.readValue(out.resolve("report.json").toFile(), Map.class);
        assertThat(after.get("steps")).isEqualTo(20);
        assertThat(((Number) after.get("epsilon")).doubleValue()).isEqualTo(epsilon);
    }

    @Test
    void aResumedRunCountsTheExamplesItTrainsOnAsTheFirstRunDid() throws IOException {
        Path train = jsonl("train.jsonl", 100, "billing", "access");
        // a record whose text sanitization empties (zero-width characters only) is read, then dropped
        Files.writeString(train, "{\"text\": \"\\u200b\\u200b\", \"label\": \"billing\"}\n",
                StandardOpenOption.APPEND);
        Path out = dir.resolve("run");
        Run trained = run("train", "--train", train.toString(), "--no-privacy", "--epochs", "1", "--batch-size", "20",
                "--embedding", "8", "--hidden", "8", "--vocab-size", "64", "--seed", "3", "--out", out.toString());
        assertThat(trained.exitCode()).as(trained.err()).isEqualTo(0);
        assertThat(json.readValue(out.resolve("report.json").toFile(), Map.class).get("train_examples")).isEqualTo(100);
        // a crash after the last checkpoint, before run_end: the resume ends the run and rewrites the report
        Path log = out.resolve("audit.jsonl");
        List<String> events = Files.readAllLines(log);
        assertThat(events.get(events.size() - 1)).contains("\"run_end\"");
        Files.write(log, events.subList(0, events.size() - 1));
        Run resumed = run("train", "--resume", out.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(0);
        assertThat(json.readValue(out.resolve("report.json").toFile(), Map.class).get("train_examples")).isEqualTo(100);
    }

    @Test
    void meanPoolingIsRecordedWithTheModelAndLearns() throws IOException {
        Path train = jsonl("train.jsonl", 200, "billing", "access");
        Path valid = jsonl("valid.jsonl", 60, "billing", "access");
        Path out = dir.resolve("run");
        Run trained = run("train", "--train", train.toString(), "--valid", valid.toString(), "--no-privacy",
                "--pooling", "mean", "--epochs", "4", "--batch-size", "20", "--embedding", "8", "--hidden", "8",
                "--vocab-size", "64", "--seed", "3", "--out", out.toString());
        assertThat(trained.exitCode()).as(trained.err()).isEqualTo(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> report = json.readValue(out.resolve("report.json").toFile(), Map.class);
        assertThat(((Map<?, ?>) report.get("model")).get("pooling")).isEqualTo("mean");
        assertThat(((Number) report.get("valid_accuracy")).doubleValue()).isGreaterThan(0.8); // chance: 0.5

        Run predicted = run("predict", "--model", out.toString(), "--text", "refund my payment please",
                "--format", "json");
        assertThat(predicted.exitCode()).as(predicted.err()).isEqualTo(0);
        assertThat(json.readValue(predicted.out().strip(), Map.class).get("label")).isIn("billing", "access");
    }
}
