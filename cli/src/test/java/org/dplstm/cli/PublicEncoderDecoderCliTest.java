package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;
import static org.dplstm.cli.ShippedModels.parameter;
import static org.dplstm.training.provenance.AuditTrails.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dplstm.training.encoders.PublicEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train --task seq2seq} starts from the shipped encoder-decoder {@code en-de-char} where
 * both sides read characters and the sizes fit, pinned in the audit log; elsewhere from random
 * weights (with a note when only the sizes are in the way); an explicit misfit is refused.
 */
class PublicEncoderDecoderCliTest {

    private static final String NAME = "en-de-char";

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private List<String> train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--task", "seq2seq", "--train", data.toString(),
                "--noise-multiplier", "1.0", "--batch-size", "20", "--epochs", "1", "--max-length", "30", "--seed", "1",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void anEncoderDecoderStartsFromTheShippedModelByDefaultAndPinsIt() throws Exception {
        Path data = PairFiles.write(dir, "train.jsonl", 40);
        Path run = dir.resolve("run");
        // a learning rate too small to move a weight visibly: the run's weights are the start's
        CliRunner.Result trained = CliRunner.run(train(data, run, "--lr", "1e-9").toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(trained.err()).doesNotContain("note:");

        PublicEncoder model = PublicEncoder.named(NAME);
        assertThat(json.readTree(run.resolve("run.json").toFile()).get("public_encoder").asText()).isEqualTo(NAME);
        JsonNode start = events(run).get(0).get("config").get("run");
        assertThat(start.get("public_encoder").asText()).isEqualTo(NAME);
        assertThat(start.get("init_model_sha256").asText()).isEqualTo(model.sha256());
        Path shipped = ShippedModels.copy(NAME, dir);
        for (String name : List.of("encoder.embedding", "decoder.embedding", "attention.w_a", "output.weight")) {
            assertThat(maxDifference(parameter(run.resolve("model.bin"), name), parameter(shipped, name))).as(name)
                    .isLessThan(1e-5f);
        }
        assertThat(CliRunner.run("audit", "verify", run.toString()).exitCode()).isZero();
        // a resume keeps the start it recorded and its log stays whole
        CliRunner.Result resumed = CliRunner.run("train", "--resume", run.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(json.readTree(run.resolve("run.json").toFile()).get("public_encoder").asText()).isEqualTo(NAME);
        assertThat(CliRunner.run("audit", "verify", run.toString()).exitCode()).isZero();

        // --init none: the same run from random weights is nowhere near the shipped ones
        Path random = dir.resolve("random");
        assertThat(CliRunner.run(train(data, random, "--lr", "1e-9", "--init", "none").toArray(String[]::new))
                .exitCode()).isZero();
        assertThat(json.readTree(random.resolve("run.json").toFile()).has("public_encoder")).isFalse();
        assertThat(maxDifference(parameter(random.resolve("model.bin"), "output.weight"),
                parameter(shipped, "output.weight"))).isGreaterThan(0.01f);
    }

    @Test
    void runsTheModelDoesNotFitStartFromRandomWeightsAndSaySoWhereTheSizesAreInTheWay() throws Exception {
        Path data = PairFiles.write(dir, "train.jsonl", 30);
        Path words = Files.writeString(dir.resolve("words.txt"), "the\ncat\na\ndog\nsees\n");
        String prefix = "note: the public encoder-decoder en-de-char (the default start for --task seq2seq) ";
        record Variant(String name, List<String> options, String note) {}
        for (Variant variant : List.of(
                new Variant("hidden-8", List.of("--embedding", "8", "--hidden", "8"), prefix + "does not fit sizes"),
                new Variant("dot", List.of("--attention", "dot"), prefix + "has general attention, not dot"),
                new Variant("words", List.of("--source-token-level", "word", "--source-vocab", words.toString()), null),
                new Variant("none", List.of("--init", "none"), null))) {
            Path run = dir.resolve(variant.name());
            CliRunner.Result trained = CliRunner.run(train(data, run, variant.options().toArray(String[]::new))
                    .toArray(String[]::new));
            ShippedModels.assertRandomStart(variant.name(), trained, run, variant.note());
        }
    }

    @Test
    void anExplicitStartThatDoesNotFitIsBadInput() throws Exception {
        Path data = PairFiles.write(dir, "train.jsonl", 20);
        Path run = dir.resolve("run");
        assertBadInputWritesNothing(run, "public encoder en-de-char has char tokens, vocabulary",
                train(data, run, "--init", "public:en-de-char", "--hidden", "8").toArray(String[]::new));
        assertBadInputWritesNothing(run, "public encoder latin-char-lm is for --task lm; this run is --task seq2seq",
                train(data, run, "--init", "public:latin-char-lm").toArray(String[]::new));
    }

    @Test
    void aStartRefusedForItsTokenLevelNamesNoPrivatelySelectedVocabulary() throws Exception {
        Path data = PairFiles.write(dir, "train.jsonl", 60);
        Path run = dir.resolve("run");
        // the refusal comes before the DP word selection: no size of it may reach the user, nor any cost
        String expected = "public encoder en-de-char reads char tokens; this run reads source word, target char tokens";
        CliRunner.Result refused = CliRunner.run(train(data, run, "--epsilon", "8", "--source-token-level", "word",
                "--source-vocab", "dp", "--init", "public:en-de-char").stream()
                .filter(a -> !a.equals("--noise-multiplier") && !a.equals("1.0")).toArray(String[]::new));
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("dplstm: " + expected);
        assertThat(run).doesNotExist();
        assertThat(dir.resolve("ledger.jsonl")).doesNotExist();
        // the same for a language model's word vocabulary
        CliRunner.Result lm = CliRunner.run("train", "--task", "lm", "--train", SentenceFiles.write(dir, "t.txt", 60)
                .toString(), "--epsilon", "8", "--token-level", "word", "--vocab", "dp", "--init", "public:latin-char-lm",
                "--batch-size", "20", "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", run.toString());
        assertThat(lm.exitCode()).as(lm.err()).isEqualTo(2);
        assertThat(lm.err().strip())
                .isEqualTo("dplstm: public encoder latin-char-lm reads char tokens; this run reads word tokens");
        assertThat(run).doesNotExist();
    }

    @Test
    void runJsonGivesTheShippedStartAndItsLearningRateBackToAResume() {
        TrainingOptions options = new TrainingOptions();
        new CommandLine(options).parseArgs("--task", "seq2seq", "--train", "p.jsonl", "--epsilon", "8");
        TrainingJob.Settings settings = options.settings();
        assertThat(settings.techniques().publicEncoder()).isEqualTo(NAME);
        assertThat(learningRate(settings)).isEqualTo(0.003);
        // what --resume reads back (TrainingJob.loadSettings) must name the same start and write the same run.json
        TrainingJob.Settings back = TrainingJob.Settings.fromMap(json.convertValue(settings.toMap(), Map.class));
        assertThat(back.techniques().publicEncoder()).isEqualTo(NAME);
        assertThat(back.toMap()).isEqualTo(settings.toMap());

        new CommandLine(options = new TrainingOptions()).parseArgs("--task", "seq2seq", "--train", "p.jsonl",
                "--epsilon", "8", "--init", "none");
        assertThat(options.settings().toMap()).doesNotContainKey("public_encoder");
        assertThat(learningRate(options.settings())).isEqualTo(0.01);
    }

    private static double learningRate(TrainingJob.Settings settings) {
        return ((Number) ((Map<?, ?>) settings.toMap().get("dp_sgd")).get("learning_rate")).doubleValue();
    }
}
