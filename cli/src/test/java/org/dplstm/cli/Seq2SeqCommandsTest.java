package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --task seq2seq}, {@code translate}, {@code bench --task seq2seq} end to end, on tiny pairs. */
@Tag("engine")
class Seq2SeqCommandsTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private static CliRunner.Result run(String... args) {
        return CliRunner.run(args);
    }

    private CliRunner.Result trainTiny(Path train, Path valid, Path out, String... privacy) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--task", "seq2seq", "--train", train.toString(),
                "--valid", valid.toString(), "--epochs", "2", "--batch-size", "20", "--embedding", "8", "--hidden", "8",
                "--max-length", "30", "--lr", "0.05", "--seed", "3", "--ledger", dir.resolve("ledger.jsonl").toString(),
                "--out", out.toString()));
        args.addAll(List.of(privacy));
        return run(args.toArray(String[]::new));
    }

    @Test
    void trainWritesBleuChrfAndPerplexityToTheReportAndTheLogAndTranslatePrintsOneOutputPerInput() throws IOException {
        Path train = PairFiles.write(dir, "train.jsonl", 40);
        Path valid = PairFiles.write(dir, "valid.jsonl", 6);
        Path out = dir.resolve("mt");
        CliRunner.Result trained = trainTiny(train, valid, out, "--noise-multiplier", "0.8", "--delta", "1e-3");
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("differential privacy per example").contains("validation BLEU: ");
        JsonNode report = json.readTree(out.resolve("report.json").toFile());
        assertThat(report.path("model").path("task").asText()).isEqualTo("seq2seq");
        assertThat(report.path("valid_perplexity").asDouble())
                .isCloseTo(Math.exp(report.path("valid_loss").asDouble()), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(report.path("valid_bleu").asDouble()).isBetween(0.0, 100.0);
        assertThat(report.path("valid_chrf").asDouble()).isBetween(0.0, 100.0);
        JsonNode lastEpoch = report.path("epochs").get(report.path("epochs").size() - 1);
        assertThat(lastEpoch.path("valid_bleu").asDouble()).isEqualTo(report.path("valid_bleu").asDouble());
        // every figure the report shows is in the audit log's epoch events
        List<JsonNode> epochs = Files.readAllLines(out.resolve("audit.jsonl")).stream().map(this::parse)
                .filter(e -> e.path("type").asText().equals("epoch")).toList();
        assertThat(epochs).hasSize(2);
        JsonNode logged = epochs.get(1);
        assertThat(logged.path("validation_bleu").asDouble()).isEqualTo(report.path("valid_bleu").asDouble());
        assertThat(logged.path("validation_chrf").asDouble()).isEqualTo(report.path("valid_chrf").asDouble());
        assertThat(logged.path("validation_loss").asDouble()).isEqualTo(report.path("valid_loss").asDouble());
        assertThat(run("audit", "verify", out.toString()).exitCode()).isZero();
        CliRunner.Result reported = run("report", out.toString(), "--format", "json");
        assertThat(reported.exitCode()).as(reported.err()).isZero();
        JsonNode compliance = json.readTree(reported.out());
        assertThat(compliance.path("valid_bleu").asDouble()).isEqualTo(logged.path("validation_bleu").asDouble());
        assertThat(compliance.path("valid_chrf").asDouble()).isEqualTo(logged.path("validation_chrf").asDouble());
        assertThat(run("report", out.toString()).out()).contains("encoder-decoder").contains("validation BLEU");

        Path sources = dir.resolve("sources.txt");
        Files.write(sources, List.of("the cat sees the sun.", "", "a dog finds some tea.", "my friend likes a ball."));
        CliRunner.Result text = run("translate", "--model", out.toString(), "--input", sources.toString(), "--max-tokens", "30");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out().lines().count()).as("one line per non-blank input line").isEqualTo(3);
        CliRunner.Result beam = run("translate", "--model", out.toString(), "--input", valid.toString(), "--beam", "3",
                "--max-tokens", "30", "--format", "json");
        assertThat(beam.exitCode()).as(beam.err()).isZero();
        List<JsonNode> lines = beam.out().lines().map(this::parse).toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0).has("source")).isTrue();
        assertThat(lines.get(0).has("translation")).isTrue();
        assertThat(lines.get(0).path("source").asText()).isEqualTo(
                parse(Files.readAllLines(valid).get(0)).path("source").asText());

        CliRunner.Result resumed = run("train", "--resume", out.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(json.readTree(out.resolve("report.json").toFile()).has("valid_bleu")).isTrue();

        // run_end binds the encoder-decoder's own files: translate refuses an edited vocabulary
        JsonNode runEnd = Files.readAllLines(out.resolve("audit.jsonl")).stream().map(this::parse)
                .filter(e -> e.path("type").asText().equals("run_end")).reduce((a, b) -> b).orElseThrow();
        assertThat(runEnd.path("files").has("seq2seq_encoder.json")).isTrue();
        assertThat(runEnd.path("files").has("source_vocabulary.json")).isTrue();
        assertThat(runEnd.path("files").has("target_vocabulary.json")).isTrue();
        // ... and a model.bin with one flipped bit (exit 2, nothing printed)
        Path modelFile = out.resolve("model.bin");
        byte[] original = Files.readAllBytes(modelFile);
        byte[] flipped = original.clone();
        flipped[flipped.length - 3] ^= 1;
        Files.write(modelFile, flipped);
        assertTranslateRefused(modelFile + " does not match the log", "translate", "--model", out.toString(),
                "--text", "the cat");
        Files.write(modelFile, original);
        assertThat(run("translate", "--model", out.toString(), "--text", "the cat").exitCode()).isZero();
        Path vocabulary = out.resolve("target_vocabulary.json");
        String swapped = Files.readString(vocabulary).replace("\"a\", \"b\"", "\"b\", \"a\"");
        assertThat(swapped).isNotEqualTo(Files.readString(vocabulary));
        Files.writeString(vocabulary, swapped);
        assertTranslateRefused("refusing to load " + out, "translate", "--model", out.toString(), "--text", "the cat");
        assertThat(run("audit", "verify", out.toString()).exitCode()).as("an edited artefact is tampering").isEqualTo(1);
    }

    @Test
    void badPairInputExitsTwoWithOneLineAndWritesNothing() throws IOException {
        Path valid = PairFiles.write(dir, "valid.jsonl", 5);
        Path out = dir.resolve("mt");
        Path noTarget = dir.resolve("no-target.jsonl");
        Files.write(noTarget, List.of("{\"source\": \"a\", \"target\": \"b\"}", "{\"source\": \"c\"}"));
        assertBadInputWritesNothing(out, "no-target.jsonl:2: missing field 'target'",
                "train", "--task", "seq2seq", "--train", noTarget.toString(), "--no-privacy", "--out", out.toString());
        Path noSource = dir.resolve("no-source.jsonl");
        Files.write(noSource, List.of("{\"text\": \"a\", \"target\": \"b\"}"));
        assertBadInputWritesNothing(out, "no-source.jsonl:1: missing field 'source'",
                "train", "--task", "seq2seq", "--train", noSource.toString(), "--no-privacy", "--out", out.toString());
        Path emptyTarget = dir.resolve("empty-target.jsonl");
        Files.write(emptyTarget, List.of("{\"source\": \"a\", \"target\": \"b\"}", "{\"source\": \"c\", \"target\": \" \"}"));
        assertBadInputWritesNothing(out, "empty-target.jsonl:2: the target field 'target' is empty",
                "train", "--task", "seq2seq", "--train", emptyTarget.toString(), "--no-privacy", "--out", out.toString());
        assertBadInputWritesNothing(out, "--source-vocab must be dp or a public word-list file with --source-token-level word",
                "train", "--task", "seq2seq", "--train", valid.toString(), "--source-token-level", "word", "--no-privacy",
                "--out", out.toString());
        assertBadInputWritesNothing(out, "--task seq2seq trains in this process: --spark-master and --gpus",
                "train", "--task", "seq2seq", "--train", valid.toString(), "--gpus", "1", "--no-privacy",
                "--out", out.toString());
        assertBadInputWritesNothing(out, "--attention need --task seq2seq",
                "train", "--train", valid.toString(), "--attention", "dot", "--no-privacy", "--out", out.toString());
        assertBadInputWritesNothing(out, "attention must be one of [dot, general], was concat",
                "train", "--task", "seq2seq", "--train", valid.toString(), "--attention", "concat", "--no-privacy",
                "--out", out.toString());

        // translate: a classifier's run, --beam 0, a missing source field
        Path classifier = dir.resolve("classifier");
        Path tickets = TicketFiles.jsonl(dir, "tickets.jsonl", 40, "billing", "access");
        CliRunner.Result trained = run("train", "--train", tickets.toString(), "--no-privacy", "--epochs", "1",
                "--batch-size", "20", "--out", classifier.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertTranslateRefused("model must be a seq2seq run directory", "translate", "--model", classifier.toString(),
                "--text", "hello");
        assertTranslateRefused("beam must be >= 1, was 0", "translate", "--model", classifier.toString(), "--text", "x",
                "--beam", "0");
        Path noSourceInput = dir.resolve("inputs.jsonl");
        Files.write(noSourceInput, List.of("{\"text\": \"a\"}"));
        assertTranslateRefused("inputs.jsonl:1: missing field 'source'", "translate", "--model", classifier.toString(),
                "--input", noSourceInput.toString());
    }

    private static void assertTranslateRefused(String expected, String... args) {
        CliRunner.Result refused = run(args);
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains(expected);
        assertThat(refused.err().lines().filter(l -> l.startsWith("dplstm:")).count()).isEqualTo(1);
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void benchSeq2seqReportsTheBenchKeysAndAnAccurateFusedSum() throws IOException {
        CliRunner.Result bench = run("bench", "--task", "seq2seq", "--format", "json", "--batch", "3", "--length", "4",
                "--embedding", "3", "--hidden", "4", "--vocab", "12", "--repeat", "1", "--loop-repeat", "1");
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        JsonNode result = json.readTree(bench.out());
        for (String key : List.of("nonprivate_step_ms", "dp_step_ms", "loop_step_ms", "dp_over_nonprivate",
                "max_rel_error")) {
            assertThat(result.has(key)).as(key).isTrue();
        }
        assertThat(result.path("task").asText()).isEqualTo("seq2seq");
        assertThat(result.path("max_rel_error").asDouble()).isLessThan(1e-4);
        assertThat(result.path("other_method_clipped_sum_ms").isNull()).isTrue();
    }

    private JsonNode parse(String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
