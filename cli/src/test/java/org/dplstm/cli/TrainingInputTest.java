package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training input that used to be taken silently: label spellings, empty texts, an exposed key file. */
class TrainingInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path jsonl(String name, List<Map<String, Object>> records) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> record : records) {
            lines.add(JSON.writeValueAsString(record));
        }
        return Files.write(dir.resolve(name), lines);
    }

    private String[] train(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--noise-multiplier", "1",
                "--epochs", "1", "--batch-size", "10", "--embedding", "4", "--hidden", "4", "--threads", "1",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void oneNumberSpelledTwoWaysIsRefusedNamingBothSpellingsAndLines() throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Object label = switch (i % 4) {
                case 0 -> 1;        // JSON number 1
                case 1 -> "1";      // the same class, spelled as a string
                case 2 -> 1.0;      // the same number, spelled differently: would be a class of its own
                default -> 2;
            };
            records.add(Map.of("text", i % 4 == 3 ? "password reset" : "refund please", "label", label));
        }
        Path data = jsonl("mixed.jsonl", records);
        Path out = dir.resolve("run");
        assertBadInputWritesNothing(out, "mixed.jsonl:3: label '1.0' is the number of label '1' (line 1) spelled differently",
                train(data, out));
    }

    @Test
    void emptyTextsAreDroppedAndATrainingSetLeftEmptyIsRefused() throws IOException {
        List<Map<String, Object>> empty = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            empty.add(Map.of("text", i % 3 == 0 ? "" : " \t ", "label", i % 2 == 0 ? "a" : "b"));
        }
        Path out = dir.resolve("run");
        assertBadInputWritesNothing(out, "training set has no text left: its 200 record(s) are all empty",
                train(jsonl("empty.jsonl", empty), out));

        List<Map<String, Object>> half = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            half.add(Map.of("text", i % 2 == 0 ? "" : (i % 4 == 1 ? "refund please" : "password reset"),
                    "label", i % 4 == 1 ? "a" : "b"));
        }
        CliRunner.Result trained = CliRunner.run(train(jsonl("half.jsonl", half), out));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        // 100 texts are left: the sample rate is B/N = 10/100, not 10/200.
        assertThat(JSON.readTree(out.resolve("report.json").toFile()).path("sample_rate").asDouble()).isEqualTo(0.1);
        JsonNode start = JSON.readTree(Files.readAllLines(out.resolve("audit.jsonl")).get(0));
        assertThat(start.path("sanitization_report").path("records_out").asLong()).isEqualTo(100);
        assertThat(start.path("sanitization_report").path("dropped").path("empty_text").asLong()).isEqualTo(100);
    }

    @Test
    void anEmptyOrHeaderOnlyFileIsRefusedNamingIt() throws IOException {
        Path out = dir.resolve("run");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        assertBadInputWritesNothing(out, "no header row: the file is empty (a CSV file starts with a header naming its"
                + " columns, such as text)", train(empty, out));
        Path headerOnly = Files.writeString(dir.resolve("header.csv"), "text,label\n");
        assertBadInputWritesNothing(out, headerOnly + " holds no records (nothing but a header or blank lines)",
                train(headerOnly, out));
        // the validation file too: the trainers' own check could not say which file it was
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(Map.of("text", i % 2 == 0 ? "refund please" : "password reset", "label", i % 2 == 0 ? "a" : "b"));
        }
        assertBadInputWritesNothing(out, headerOnly + " holds no records",
                train(jsonl("t.jsonl", records), out, "--valid", headerOnly.toString()));
        Path blank = Files.writeString(dir.resolve("blank.txt"), "\n \n\n");
        assertBadInputWritesNothing(out, blank + " holds no records", train(blank, out, "--task", "lm"));
    }

    @Test
    void aKeyFileOthersCanReadIsWarnedAbout() throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(Map.of("text", i % 2 == 0 ? "refund please" : "password reset", "label", i % 2));
        }
        Path data = jsonl("t.jsonl", records);
        Path key = Files.write(dir.resolve("audit.key"), new byte[32]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.Result exposed = CliRunner.run(train(data, dir.resolve("r1"), "--key-file", key.toString()));
        assertThat(exposed.exitCode()).as(exposed.err()).isZero();
        assertThat(exposed.err().lines().filter(l -> l.contains("key file " + key)).toList())
                .containsExactly("dplstm: warning: key file " + key + " is readable by its group and others"
                        + " (rw-r--r--): whoever can read it can forge audit logs; chmod 600 it");

        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        CliRunner.Result kept = CliRunner.run(train(data, dir.resolve("r2"), "--key-file", key.toString()));
        assertThat(kept.exitCode()).as(kept.err()).isZero();
        assertThat(kept.err()).doesNotContain("key file");
    }
}
