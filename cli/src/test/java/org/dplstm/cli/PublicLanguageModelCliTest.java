package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;
import static org.dplstm.cli.ShippedModels.parameter;
import static org.dplstm.training.provenance.AuditTrails.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.provenance.AuditTrails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train --task lm} starts from the shipped public language model {@code latin-char-lm}
 * where it fits, pinned in the audit log; elsewhere from random weights with a note; a shipped
 * model of another task is refused.
 */
class PublicLanguageModelCliTest {

    private static final String NAME = "latin-char-lm";

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private List<String> train(Path data, Path out, String... extra) {
        return PrivateLanguageModelRuns.args(dir, data, out, extra);
    }

    @Test
    void aLanguageModelStartsFromTheShippedModelByDefaultAndPinsIt() throws Exception {
        Path data = SentenceFiles.write(dir, "train.txt", 80);
        Path run = dir.resolve("run");
        // frozen encoder: the embedding and LSTM must stay the shipped ones, bit for bit
        CliRunner.Result trained = CliRunner.run(train(data, run, "--freeze", "encoder").toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(trained.err()).doesNotContain("note:");

        Path shipped = ShippedModels.copy(NAME, dir);
        PublicEncoder model = PublicEncoder.named(NAME);
        assertThat(AuditTrails.sha256(Files.readAllBytes(shipped))).isEqualTo(model.sha256());
        assertThat(json.readTree(run.resolve("run.json").toFile()).get("public_encoder").asText()).isEqualTo(NAME);
        JsonNode start = events(run).get(0);
        assertThat(start.get("config").get("run").get("public_encoder").asText()).isEqualTo(NAME);
        assertThat(start.get("config").get("run").get("init_model_sha256").asText()).isEqualTo(model.sha256());
        for (String name : List.of("embedding", "lstm.l0.fwd.w_ih", "lstm.l0.fwd.w_hh", "lstm.l0.fwd.bias")) {
            assertThat(parameter(run.resolve("model.bin"), name)).as(name).containsExactly(parameter(shipped, name));
        }
        // the output layer (115 characters) trained; that it starts as the shipped one is PublicLanguageModelCardTest's
        assertThat(parameter(run.resolve("model.bin"), "output.bias")).hasSize(115)
                .isNotEqualTo(parameter(shipped, "output.bias"));
        assertThat(CliRunner.run("audit", "verify", run.toString()).exitCode()).isZero();
    }

    @Test
    void runsTheModelDoesNotFitStartFromRandomWeightsAndSaySo() throws Exception {
        Path data = SentenceFiles.write(dir, "train.txt", 40);
        Path words = Files.writeString(dir.resolve("words.txt"), "the\ncat\na\ndog\nsees\n");
        String prefix = "note: the public language model latin-char-lm (the default start for --task lm) ";
        record Variant(String name, List<String> options, String note) {}
        for (Variant variant : List.of(
                new Variant("hidden-8", List.of("--hidden", "8"), prefix + "does not fit sizes embedding 16, hidden 8,"),
                new Variant("gru", List.of("--cell", "gru"), prefix + "is an LSTM, not a gru: training from random weights"),
                new Variant("words", List.of("--token-level", "word", "--vocab", words.toString()), null),
                new Variant("tied", List.of("--tie-embedding", "--embedding", "32"), prefix + "does not fit sizes"),
                new Variant("none", List.of("--init", "none"), null))) {
            Path run = dir.resolve(variant.name());
            List<String> args = train(data, run, variant.options().toArray(String[]::new));
            CliRunner.Result trained = CliRunner.run(args.toArray(String[]::new));
            ShippedModels.assertRandomStart(variant.name(), trained, run, variant.note());
        }
    }

    @Test
    void aShippedModelOfAnotherTaskOrShapeIsRefused() throws Exception {
        Path sentences = SentenceFiles.write(dir, "train.txt", 40);
        Path tickets = TicketFiles.jsonl(dir, "tickets.jsonl", 40, "billing", "access");
        Path out = dir.resolve("refused");
        // the default start was skipped for these sizes: the refusal says why
        assertBadInputWritesNothing(out, "--freeze encoder needs a warm start: --init RUN_DIR or --init public:NAME (random"
                + " weights would stay random); the public language model latin-char-lm (the default start for --task lm)"
                + " does not fit sizes embedding 16, hidden 8,",
                train(sentences, out, "--hidden", "8", "--freeze", "encoder").toArray(String[]::new));
        assertBadInputWritesNothing(out, "public encoder multilingual-char is for --task classify; this run is --task lm",
                train(sentences, out, "--init", "public:multilingual-char").toArray(String[]::new));
        assertBadInputWritesNothing(out, "public encoder latin-char-lm has char tokens, vocabulary 115, embedding 16,"
                + " lstm hidden 32, 1 layer(s), one direction; this run has char tokens, vocabulary 115, embedding 16,"
                + " lstm hidden 8",
                train(sentences, out, "--init", "public:latin-char-lm", "--hidden", "8").toArray(String[]::new));
        assertBadInputWritesNothing(out, "public encoder latin-char-lm is for --task lm; this run is --task classify",
                "train", "--train", tickets.toString(), "--no-privacy", "--token-level", "char",
                "--init", "public:latin-char-lm", "--out", out.toString());
        assertBadInputWritesNothing(out, "public encoder latin-char-lm is for --task lm; this run is --task seq2seq",
                "train", "--task", "seq2seq", "--train", PairFiles.write(dir, "pairs.jsonl", 20).toString(),
                "--no-privacy", "--batch-size", "10", "--init", "public:latin-char-lm", "--out", out.toString());
        assertBadInputWritesNothing(out, "public encoder en-de-char is for --task seq2seq; this run is --task lm",
                train(sentences, out, "--init", "public:en-de-char").toArray(String[]::new));
    }

    @Test
    void runJsonGivesTheShippedStartBackToAResumeAndOldRunsStayWithout() {
        TrainingOptions options = new TrainingOptions();
        new CommandLine(options).parseArgs("--task", "lm", "--train", "t.txt", "--epsilon", "8");
        TrainingJob.Settings settings = options.settings();
        assertThat(settings.techniques().publicEncoder()).isEqualTo(NAME);
        // what --resume reads back (TrainingJob.loadSettings) must name the same start and write the same run.json
        TrainingJob.Settings back = TrainingJob.Settings.fromMap(json.convertValue(settings.toMap(), Map.class));
        assertThat(back.techniques().publicEncoder()).isEqualTo(NAME);
        assertThat(back.toMap()).isEqualTo(settings.toMap());

        new CommandLine(options = new TrainingOptions()).parseArgs("--task", "lm", "--train", "t.txt", "--epsilon", "8",
                "--init", "none");
        assertThat(options.settings().toMap()).doesNotContainKey("public_encoder");
    }
}
