package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --task lm}, {@code generate} and {@code bench --task lm} end to end, on tiny data. */
class LanguageModelCommandsTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private static CliRunner.Result run(String... args) {
        return CliRunner.run(args);
    }

    @Test
    void trainLmWritesPerplexityAndGenerateContinuesAPromptRepeatablyWithASeed() throws IOException {
        Path train = SentenceFiles.write(dir, "train.txt", 120);
        Path valid = SentenceFiles.write(dir, "valid.txt", 30);
        Path out = dir.resolve("lm");
        CliRunner.Result trained = run("train", "--task", "lm", "--train", train.toString(), "--valid", valid.toString(),
                "--noise-multiplier", "0.8", "--delta", "1e-3", "--epochs", "2", "--batch-size", "30", "--embedding", "8",
                "--hidden", "8", "--lr", "0.05", "--seed", "3", "--out", out.toString());
        assertThat(trained.exitCode()).as(trained.err()).isEqualTo(0);
        assertThat(trained.out()).contains("differential privacy per example").contains("validation perplexity: ");
        @SuppressWarnings("unchecked")
        Map<String, Object> report = json.readValue(out.resolve("report.json").toFile(), Map.class);
        double loss = ((Number) report.get("valid_loss")).doubleValue();
        double perplexity = ((Number) report.get("valid_perplexity")).doubleValue();
        assertThat(perplexity).isCloseTo(Math.exp(loss), org.assertj.core.data.Offset.offset(1e-9));
        // a trained character model beats the uniform guess over its ~110 characters
        assertThat(perplexity).isLessThan(100).isGreaterThan(1);
        // the console's epoch line speaks of perplexity for a language model, not classifier accuracy
        assertThat(trained.err()).contains(String.format(java.util.Locale.ROOT, "epoch 2: 8 steps, valid perplexity %.4f",
                perplexity)).doesNotContain("valid accuracy");
        assertThat(((Map<?, ?>) report.get("model")).get("task")).isEqualTo("language_model");
        assertThat(report.get("steps")).isEqualTo(8);
        double epsilon = ((Number) report.get("epsilon")).doubleValue();

        CliRunner.Result first = run("generate", "--model", out.toString(), "--prompt", "the cat", "--max-tokens", "20", "--seed", "5");
        CliRunner.Result second = run("generate", "--model", out.toString(), "--prompt", "the cat", "--max-tokens", "20", "--seed", "5");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
        assertThat(first.out()).isEqualTo(second.out());
        assertThat(first.out().lines().count()).isEqualTo(1);
        // --max-tokens counts tokens: a character, or one multi-character token (a PII placeholder
        // such as [EMAIL], or <unk>), which a noisily trained model may sample
        String oneCharPerToken = first.out().strip().replaceAll("\\[(EMAIL|PHONE|CARD|IBAN|SSN|IP|URL)]|<unk>", "#");
        assertThat(oneCharPerToken.length()).isLessThanOrEqualTo(20);

        CliRunner.Result resumed = run("train", "--resume", out.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> after = json.readValue(out.resolve("report.json").toFile(), Map.class);
        assertThat(after.get("steps")).isEqualTo(8);
        assertThat(((Number) after.get("epsilon")).doubleValue()).isEqualTo(epsilon);
        assertThat(after).containsKey("valid_perplexity");

        CliRunner.Result notLm = run("predict", "--model", out.toString(), "--text", "hi");
        assertThat(notLm.exitCode()).isEqualTo(2);
        assertThat(notLm.err()).contains("not a classifier");
    }

    @Test
    void withoutValidationThePerplexityIsNull() throws IOException {
        Path train = SentenceFiles.write(dir, "train.txt", 40);
        Path out = dir.resolve("lm");
        CliRunner.Result trained = run("train", "--task", "lm", "--train", train.toString(), "--no-privacy",
                "--epochs", "1", "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--tie-embedding",
                "--out", out.toString());
        assertThat(trained.exitCode()).as(trained.err()).isEqualTo(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> report = json.readValue(out.resolve("report.json").toFile(), Map.class);
        assertThat(report).containsEntry("valid_perplexity", null);
        assertThat(((Map<?, ?>) report.get("model")).get("tied_embedding")).isEqualTo(true);
    }

    @Test
    void badLanguageModelInputExitsTwoAndWritesNothing() throws IOException {
        String t = SentenceFiles.write(dir, "train.txt", 40).toString();
        Path out = dir.resolve("lm");
        String o = out.toString();
        assertBadInputWritesNothing(out, "--vocab must not be given with --token-level char",
                "train", "--task", "lm", "--train", t, "--no-privacy", "--vocab", "dp", "--out", o);
        assertBadInputWritesNothing(out, "--vocab must be dp or a public word-list file for --task lm --token-level word",
                "train", "--task", "lm", "--token-level", "word", "--train", t, "--no-privacy", "--out", o);
        assertBadInputWritesNothing(out, "tied embedding needs embedding size = hidden size, was 8 and 4",
                "train", "--task", "lm", "--train", t, "--no-privacy", "--tie-embedding", "--embedding", "8",
                "--hidden", "4", "--out", o);
        assertBadInputWritesNothing(out, "task must be one of [classify, lm, seq2seq], was poem",
                "train", "--task", "poem", "--train", t, "--no-privacy", "--out", o);
        assertBadInputWritesNothing(out, "--bidirectional must be off for --task lm",
                "train", "--task", "lm", "--train", t, "--no-privacy", "--bidirectional", "--out", o);
        CliRunner.Result generate = run("generate", "--model", dir.toString(), "--prompt", "x");
        assertThat(generate.exitCode()).isEqualTo(2);
        assertThat(generate.err()).contains("model must be a language-model run directory");
        CliRunner.Result badTemperature = run("generate", "--model", dir.toString(), "--temperature", "-1");
        assertThat(badTemperature.exitCode()).isEqualTo(2);
        assertThat(badTemperature.err()).contains("temperature must be a finite number >= 0");
    }

    @Test
    void benchLmPrintsTheClassifierKeysAndAnExactFusedSum() throws IOException {
        CliRunner.Result bench = run("bench", "--task", "lm", "--format", "json", "--batch", "4", "--length", "5", "--embedding", "4",
                "--hidden", "4", "--vocab", "50", "--repeat", "1", "--loop-repeat", "1");
        assertThat(bench.exitCode()).as(bench.err()).isEqualTo(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = json.readValue(bench.out(), Map.class);
        assertThat(result).containsKeys("nonprivate_step_ms", "dp_step_ms", "loop_step_ms", "dp_over_nonprivate",
                "max_rel_error");
        assertThat(result.get("task")).isEqualTo("lm");
        assertThat(((Number) result.get("max_rel_error")).doubleValue()).isLessThan(1e-4);
    }
}
