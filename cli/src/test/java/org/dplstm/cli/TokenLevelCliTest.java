package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;
import static org.dplstm.training.provenance.AuditTrails.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --token-level char|word|subword} for classifiers: recorded in report.json, run.json
 * and the audit log, used by {@code predict}; bad tokenizer files refused before anything is written.
 */
class TokenLevelCliTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    /** Russian and Chinese texts whose characters tell the label apart (no word is shared). */
    private Path scripts(String name, int count) throws IOException {
        List<String> lines = new ArrayList<>();
        String[] russian = {"привет мир", "добрый день", "спасибо большое", "хорошо"};
        String[] chinese = {"你好世界", "谢谢你", "早上好", "再见朋友"};
        for (int i = 0; i < count; i++) {
            boolean ru = i % 2 == 0;
            String text = (ru ? russian : chinese)[i / 2 % 4];
            lines.add(json.writeValueAsString(Map.of("text", text, "label", ru ? "ru" : "zh")));
        }
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private List<String> train(Path data, Path out, String... extra) {
        return train(data, out, List.of("--noise-multiplier", "0.2"), extra);
    }

    private List<String> train(Path data, Path out, List<String> privacy, String... extra) {
        // validated on a copy of the training texts (train refuses --valid naming the --train file itself)
        Path valid = data.resolveSibling("valid-" + data.getFileName());
        try {
            Files.copy(data, valid, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--valid", valid.toString()));
        args.addAll(privacy);
        args.addAll(List.of("--batch-size", "20", "--epochs", "8", "--lr", "0.05",
                "--embedding", "8", "--hidden", "8", "--seed", "1",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void charLevelIsRecordedEverywhereAndUsedByPredict() throws Exception {
        Path data = scripts("scripts.jsonl", 80);
        Path run = dir.resolve("char");
        // without noise, as the subword test below: the prediction checked at the end does not depend on privacy
        CliRunner.Result trained = CliRunner.run(train(data, run, List.of("--no-privacy"), "--token-level", "char")
                .toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        JsonNode report = json.readTree(run.resolve("report.json").toFile());
        assertThat(report.get("config").get("token_level").asText()).isEqualTo("char");
        assertThat(report.get("config").get("max_length").asInt()).isEqualTo(TrainingOptions.CHAR_MAX_LENGTH);
        JsonNode start = events(run).get(0);
        assertThat(start.get("config").get("run").get("token_level").asText()).isEqualTo("char");
        assertThat(start.get("config").get("encoding").get("token_level").asText()).isEqualTo("char");
        assertThat(json.readTree(run.resolve("vocabulary.json").toFile()).get("type").asText()).isEqualTo("public_chars");
        assertThat(json.readTree(run.resolve("encoder.json").toFile()).get("token_level").asText()).isEqualTo("char");

        // No word of these texts was seen in training, but their characters were.
        CliRunner.Result predicted = CliRunner.run("predict", "--model", run.toString(), "--text", "мир большое",
                "--text", "世界朋友", "--format", "json");
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        assertThat(predicted.out().lines().map(l -> l.replaceAll(".*\"label\":\"(\\w+)\".*", "$1")).toList())
                .containsExactly("ru", "zh");
    }

    @Test
    void subwordLevelUsesThePublicTokenizerAndPinsIt() throws Exception {
        Path tokenizer = dir.resolve("tokenizer.json");
        try (var in = getClass().getResourceAsStream("tiny-wordpiece.json")) {
            Files.copy(in, tokenizer);
        }
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 80, "billing", "access");
        Path run = dir.resolve("subword");
        // without noise: the CLI's noise is secure and unseeded, and at σ 0.2 it once flipped the prediction
        // below ("access 0.5125"); nothing this test checks depends on privacy
        CliRunner.Result trained = CliRunner.run(train(data, run, List.of("--no-privacy"), "--token-level", "subword",
                "--tokenizer", tokenizer.toString()).toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(run.resolve("tokenizer.json")).hasSameBinaryContentAs(tokenizer);
        JsonNode start = events(run).get(0);
        assertThat(start.get("config").get("encoding").get("tokenizer").asText())
                .isEqualTo("subword:sha256:" + org.dplstm.training.provenance.AuditTrails.sha256(Files.readAllBytes(tokenizer)));
        // the tiny file has 17 pieces: 19 ids with padding and unknown
        assertThat(json.readTree(run.resolve("model_config.json").toFile()).get("vocab_size").asInt()).isEqualTo(19);
        CliRunner.Result predicted = CliRunner.run("predict", "--model", run.toString(), "--text", "refunded invoice");
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        assertThat(predicted.out()).startsWith("billing");
        assertThat(CliRunner.run("audit", "verify", run.toString()).exitCode()).isZero();
    }

    @Test
    void badTokenizerFilesAndMismatchedOptionsAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 40, "billing", "access");
        Path out = dir.resolve("refused");
        Path missing = dir.resolve("missing.json");
        assertBadInputWritesNothing(out, "tokenizer file cannot be read: " + missing,
                train(data, out, "--token-level", "subword", "--tokenizer", missing.toString()).toArray(String[]::new));
        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "{not json");
        assertBadInputWritesNothing(out, "tokenizer file " + garbage + " is not valid JSON at line 1, column 2: ",
                train(data, out, "--token-level", "subword", "--tokenizer", garbage.toString()).toArray(String[]::new));
        // one line: not the parser's second line with its source location
        assertThat(CliRunner.run(train(data, out, "--token-level", "subword", "--tokenizer", garbage.toString())
                .toArray(String[]::new)).err()).doesNotContain("Source:").doesNotContain("StreamReadFeature");
        Path noVocab = dir.resolve("novocab.json");
        Files.writeString(noVocab, "{\"model\":{\"type\":\"WordPiece\"}}");
        assertBadInputWritesNothing(out, "must be a tokenizer.json with a model.vocab object",
                train(data, out, "--token-level", "subword", "--tokenizer", noVocab.toString()).toArray(String[]::new));
        assertBadInputWritesNothing(out, "--token-level subword needs --tokenizer FILE",
                train(data, out, "--token-level", "subword").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--tokenizer needs --token-level subword",
                train(data, out, "--tokenizer", garbage.toString()).toArray(String[]::new));
        assertBadInputWritesNothing(out, "--vocab applies to --token-level word",
                train(data, out, "--token-level", "char", "--vocab", "dp").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--vocab-size applies to --token-level word, not char",
                train(data, out, "--token-level", "char", "--vocab-size", "1024").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--vocab-size sets the buckets of --vocab hash (word-level classifiers);"
                + " this run has --vocab dp", train(data, out, "--vocab", "dp", "--vocab-size", "64").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--vocab-size sets the buckets of --vocab hash (word-level classifiers);"
                + " this run has no word vocabulary",
                train(data, out, "--task", "lm", "--vocab-size", "64").toArray(String[]::new));
        assertBadInputWritesNothing(out, "token level must be one of [char, word, subword], was bytes",
                train(data, out, "--token-level", "bytes").toArray(String[]::new));
    }
}
