package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;
import static org.dplstm.training.provenance.AuditTrails.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.provenance.AuditTrails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precondition}: a private character-level language model is preconditioned by the
 * shipped model's public text by default, recorded in run.json and run_start and continued by a
 * resume; runs it cannot apply to keep none by default and refuse it when asked.
 */
class PreconditionCliTest {

    private static final String DEFAULT = "public:latin-char-lm";

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private static Optional<String> preconditionOf(String... args) {
        return ParsedTrainingOptions.settingsOf(args).config().precondition();
    }

    private String preconditionIn(Path run) throws java.io.IOException {
        return json.readTree(run.resolve("run.json").toFile()).get("dp_sgd").get("precondition").asText();
    }

    private List<String> train(Path data, Path out, String... extra) {
        return PrivateLanguageModelRuns.args(dir, data, out, extra);
    }

    @Test
    void onByDefaultForPrivateCharacterLanguageModelsOnly() {
        assertThat(preconditionOf("--train", "t.txt", "--task", "lm", "--epsilon", "8")).hasValue(DEFAULT);
        // from random weights too: the public text is read by the same character set
        assertThat(preconditionOf("--train", "t.txt", "--task", "lm", "--epsilon", "8", "--init", "none"))
                .hasValue(DEFAULT);
        assertThat(preconditionOf("--train", "t.txt", "--task", "lm", "--no-privacy")).isEmpty();
        assertThat(preconditionOf("--train", "t.txt", "--task", "lm", "--epsilon", "8", "--token-level", "word",
                "--vocab", "words.txt")).isEmpty();
        assertThat(preconditionOf("--train", "t.csv", "--epsilon", "3")).isEmpty();
        assertThat(preconditionOf("--train", "p.jsonl", "--task", "seq2seq", "--epsilon", "8")).isEmpty();
        assertThat(preconditionOf("--train", "t.txt", "--task", "lm", "--epsilon", "8", "--precondition", "none"))
                .isEmpty();
    }

    @Test
    void aPreconditionedRunRecordsItsPublicTextAndAResumeKeepsIt() throws Exception {
        Path data = SentenceFiles.write(dir, "train.txt", 60);
        Path run = dir.resolve("run");
        CliRunner.Result trained = CliRunner.run(train(data, run).toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(preconditionIn(run)).isEqualTo(DEFAULT);
        // run_start pins the public text as it pins the shipped weights: the SHA-256 of the jar's file
        JsonNode start = events(run).get(0);
        assertThat(start.get("config").get("run").get("dp_sgd").get("precondition").asText()).isEqualTo(DEFAULT);
        byte[] text = PublicEncoder.class.getResourceAsStream("/org/dplstm/encoders/latin-char-lm/public-text.txt")
                .readAllBytes();
        assertThat(start.get("config").get("run").get("public_text_sha256").asText()).isEqualTo(AuditTrails.sha256(text));

        // a crash after the last checkpoint, before run_end: the resume reads the setting back and ends the run
        Path log = run.resolve("audit.jsonl");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(lines.size() - 1)).contains("\"run_end\"");
        Files.write(log, lines.subList(0, lines.size() - 1));
        CliRunner.Result resumed = CliRunner.run("train", "--resume", run.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(preconditionIn(run)).isEqualTo(DEFAULT);
        assertThat(CliRunner.run("audit", "verify", run.toString()).exitCode()).isZero();

        Path plain = dir.resolve("plain");
        CliRunner.Result without = CliRunner.run(train(data, plain, "--precondition", "none").toArray(String[]::new));
        assertThat(without.exitCode()).as(without.err()).isZero();
        assertThat(json.readTree(plain.resolve("run.json").toFile()).get("dp_sgd").has("precondition")).isFalse();
        assertThat(events(plain).get(0).get("config").get("run").has("public_text_sha256")).isFalse();
    }

    @Test
    void runsItCannotApplyToAreRefused() throws Exception {
        Path sentences = SentenceFiles.write(dir, "train.txt", 40);
        Path tickets = TicketFiles.jsonl(dir, "tickets.jsonl", 40, "billing", "access");
        Path out = dir.resolve("refused");
        for (String bad : List.of("sometimes", "public:nope", "public:multilingual-char")) {
            assertBadInputWritesNothing(out, "--precondition must be one of [public:latin-char-lm] (a shipped model's"
                    + " public text) or none, was " + bad, train(sentences, out, "--precondition", bad)
                    .toArray(String[]::new));
        }
        assertBadInputWritesNothing(out, "--precondition needs a private run (it scales gradients before clipping, and"
                + " --no-privacy does not clip), was public:latin-char-lm",
                "train", "--task", "lm", "--train", sentences.toString(), "--no-privacy", "--precondition", DEFAULT,
                "--out", out.toString());
        assertBadInputWritesNothing(out, "--precondition applies to --task lm (its public text has no labels or pairs),"
                + " was public:latin-char-lm",
                "train", "--train", tickets.toString(), "--epsilon", "3", "--precondition", DEFAULT,
                "--out", out.toString());
    }

    @Test
    void stepsSplitOverDevicesOrAClusterDropTheDefaultAndRefuseAnExplicitOne() {
        // a --gpus split or a cluster: some step sums other than this process's (no GPU or Spark needed to decide)
        Execution split = Execution.onDevices((model, clippers, train, plan, config, sampler) -> {
            throw new AssertionError("not opened here");
        });
        TrainingJob.Settings kept = ParsedTrainingOptions.settingsWhere(false, "--train", "t.txt", "--task", "lm",
                "--epsilon", "8");
        assertThat(kept.config().precondition()).isEmpty();
        assertThat(kept.techniques().notes()).anyMatch(note -> note.startsWith("public preconditioning"));
        split.checkSupports(kept.config());

        TrainingJob.Settings asked = ParsedTrainingOptions.settingsWhere(false, "--train", "t.txt", "--task", "lm",
                "--epsilon", "8", "--precondition", DEFAULT);
        assertThat(asked.config().precondition()).hasValue(DEFAULT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> split.checkSupports(asked.config()))
                .hasMessage("--precondition must be none with --gpus or --spark-master (its scale sits inside each"
                        + " unit's norm, which one process computes; a run trained with it resumes without them), was "
                        + DEFAULT);
        // in this process alone, the default stays
        assertThat(ParsedTrainingOptions.settingsWhere(true, "--train", "t.txt", "--task", "lm", "--epsilon", "8")
                .config().precondition()).hasValue(DEFAULT);
    }
}
