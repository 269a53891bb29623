package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;
import static org.dplstm.training.provenance.AuditTrails.events;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dplstm.data.vocab.CharNgramBag;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.NgramLinearClassifier;
import org.dplstm.training.model.TextModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --model ngram}: a private run from the command line that learns the tickets'
 * labels, is recorded as an n-gram model everywhere, and whose run directory {@code predict}
 * reads exactly as the saved weights say (checked against CharNgramBag and the weights themselves);
 * and the options it does not take, refused in one line before anything is written.
 */
class NgramModelCliTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private List<String> train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--model", "ngram",
                "--epsilon", "3", "--threads", "1", "--seed", "1", "--ledger", dir.resolve("ledger.jsonl").toString(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aPrivateRunLearnsTheLabelsAndPredictReadsItsRunDirectory() throws Exception {
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 600, "billing", "access");
        Path valid = TicketFiles.jsonl(dir, "valid.jsonl", 100, "billing", "access");
        Path run = dir.resolve("ngram");
        CliRunner.Result trained = CliRunner.run(train(data, run, "--valid", valid.toString(), "--no-sanitize")
                .toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        JsonNode report = json.readTree(run.resolve("report.json").toFile());
        assertThat(report.get("valid_accuracy").asDouble()).as(trained.out()).isGreaterThanOrEqualTo(0.8);
        assertThat(report.get("config").get("token_level").asText()).isEqualTo("ngram");
        assertThat(report.get("config").get("model").asText()).isEqualTo("ngram");
        JsonNode start = events(run).get(0);
        assertThat(start.get("config").get("run").get("model").asText()).isEqualTo("ngram");
        assertThat(start.get("config").get("encoding").get("token_level").asText()).isEqualTo("ngram");
        assertThat(start.get("config").get("encoding").get("max_length").asInt()).isEqualTo(2048);
        assertThat(json.readTree(run.resolve("model_config.json").toFile()).get("model").asText()).isEqualTo("ngram");
        assertThat(CliRunner.run("audit", "verify", run.toString()).exitCode()).isZero();

        // predict on the run directory, against the saved weights applied to CharNgramBag's vectors
        List<String> texts = List.of("refund please invoice", "password please reset", "my payment was charged",
                "locked out, login fails", "invoice");
        List<String> args = new ArrayList<>(List.of("predict", "--model", run.toString(), "--format", "json"));
        texts.forEach(t -> args.addAll(List.of("--text", t)));
        CliRunner.Result predicted = CliRunner.run(args.toArray(String[]::new));
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        List<String> labels = new ArrayList<>();
        for (String line : predicted.out().lines().toList()) {
            labels.add((String) json.readValue(line, Map.class).get("label"));
        }
        assertThat(labels).containsExactlyElementsOf(expectedLabels(run, texts));
        assertThat(labels).containsExactly("billing", "access", "billing", "access", "billing");

        CliRunner.Result resumed = CliRunner.run("train", "--resume", run.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("nothing to resume");
    }

    /** argmax(W x) with x CharNgramBag's vector of the text and W read from model.bin (the default: no bias). */
    private List<String> expectedLabels(Path run, List<String> texts) throws Exception {
        List<String> names = new ArrayList<>();
        json.readTree(run.resolve("encoder.json").toFile()).get("labels").forEach(n -> names.add(n.asText()));
        CharNgramBag bag = CharNgramBag.builder().build();
        List<String> expected = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                TextModel model = ModelFile.loadClassifier(run.resolve("model.bin"), manager)) {
            assertThat(model).isInstanceOf(NgramLinearClassifier.class);
            assertThat(model.parameterNames()).containsExactly("output.weight");
            float[] w = model.parameters().get(0).toFloatArray();
            for (String text : texts) {
                float[] x = bag.vector(text);
                int best = -1;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < names.size(); k++) {
                    double score = 0;
                    for (int d = 0; d < x.length; d++) {
                        score += (double) w[k * x.length + d] * x[d];
                    }
                    if (score > bestScore) {
                        bestScore = score;
                        best = k;
                    }
                }
                expected.add(names.get(best));
            }
        }
        return expected;
    }

    @Test
    void aStoppedRunResumesFromItsCheckpointAndEnds() throws Exception {
        Path data = TicketFiles.jsonl(dir, "resume.jsonl", 200, "billing", "access");
        Path run = dir.resolve("stopped");
        Path output = dir.resolve("output.txt");
        // long enough (2,000 steps) that it is still training when stopped after its first checkpoint
        Process process = CliProcess.start(output, train(data, run, "--epochs", "100", "--batch-size", "10")
                .toArray(String[]::new));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        while (process.isAlive() && System.nanoTime() < deadline
                && !Files.exists(run.resolve(org.dplstm.audit.run.RunFiles.CHECKPOINT))) {
            Thread.sleep(20);
        }
        assertThat(process.isAlive()).as("still training when stopped").isTrue();
        process.destroy();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(run.resolve("model.bin")).doesNotExist();

        CliRunner.Result resumed = CliRunner.run("train", "--resume", run.toString(), "--threads", "1");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(CliRunner.run("audit", "verify", run.toString()).exitCode()).isZero();
        CliRunner.Result predicted = CliRunner.run("predict", "--model", run.toString(), "--text", "refund please");
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
    }

    @Test
    void userLevelPrivacyTrains() throws Exception {
        Path data = TicketFiles.jsonl(dir, "users.jsonl", 200, "billing", "access");
        Path run = dir.resolve("users");
        CliRunner.Result trained = CliRunner.run(train(data, run, "--privacy-unit", "user", "--user-field", "user",
                "--epochs", "3").toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(json.readTree(run.resolve("model_config.json").toFile()).get("model").asText()).isEqualTo("ngram");
    }

    @Test
    void optionsOfOtherModelsAreRefusedInOneLineBeforeAnythingIsWritten() throws Exception {
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 40, "billing", "access");
        Path out = dir.resolve("refused");
        String[][] refused = {{"--token-level", "char"}, {"--embedding", "8"}, {"--hidden", "8"}, {"--init", "none2"},
            {"--freeze", "encoder"}, {"--tune", "2"}, {"--precondition", "public:latin-char-lm"}, {"--vocab", "dp"},
            {"--layers", "2"}, {"--bidirectional"}, {"--pooling", "mean"}, {"--cell", "gru"}};
        for (String[] option : refused) {
            assertBadInputWritesNothing(out, option[0] + " does not apply to --model ngram (one linear layer over"
                    + " hashed character n-grams, trained from zero); leave it out or use --model lstm",
                    train(data, out, option).toArray(String[]::new));
        }
        assertBadInputWritesNothing(out, "--model ngram is for classifiers (--task classify), task was lm",
                train(data, out, "--task", "lm").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--model ngram trains in this process: --spark-master and --gpus are for"
                + " recurrent models", train(data, out, "--gpus", "1").toArray(String[]::new));
        assertBadInputWritesNothing(out, "model must be one of [lstm, ngram], was bag", "train", "--train",
                data.toString(), "--model", "bag", "--epsilon", "3", "--out", out.toString());
    }
}
