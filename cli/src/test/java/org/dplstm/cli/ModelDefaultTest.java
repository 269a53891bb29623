package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.training.provenance.AuditTrails.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dplstm.training.dpsgd.PrivacyUnit;
import org.dplstm.training.model.ModelKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier's model when {@code --model} is left out (ClassifierDefaults.model): the n-gram
 * model, except the recurrent one for an option only it reads, for steps split over devices or a
 * cluster, and for language labels with fewer than 500 privacy units per label; and the rule seen
 * through the command line, in what the run records.
 */
class ModelDefaultTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private static TrainingSetFacts facts(int units, String... labels) {
        return new TrainingSetFacts(Set.of(labels), units, PrivacyUnit.EXAMPLE);
    }

    private static ModelKind chosen(String model, List<String> recurrentOptions, TrainingSetFacts facts,
            boolean oneProcess) {
        return ClassifierDefaults.model(model, recurrentOptions, facts, oneProcess).kind();
    }

    @Test
    void topicLabelsGetTheNgramModelWhateverTheirSize() {
        assertThat(chosen(null, List.of(), facts(200, "billing", "access"), true)).isEqualTo(ModelKind.NGRAM);
        assertThat(chosen(null, List.of(), facts(100_000, "billing", "access"), true)).isEqualTo(ModelKind.NGRAM);
    }

    @Test
    void languageLabelsGetTheRecurrentModelBelow500UnitsPerLabelAndTheNgramModelFrom500() {
        assertThat(chosen(null, List.of(), facts(999, "de", "fr"), true)).isEqualTo(ModelKind.RECURRENT);
        assertThat(chosen(null, List.of(), facts(1000, "de", "fr"), true)).isEqualTo(ModelKind.NGRAM);
        ClassifierDefaults.ModelChoice few = ClassifierDefaults.model(null, List.of(), facts(999, "de", "fr"), true);
        assertThat(few.notes()).singleElement().asString().contains("fewer than 500 training records per language label");
    }

    @Test
    void anOptionOfTheRecurrentModelAClusterOrUnreadDataKeepTheRecurrentModel() {
        TrainingSetFacts topics = facts(5000, "billing", "access");
        assertThat(chosen(null, List.of("--embedding"), topics, true)).isEqualTo(ModelKind.RECURRENT);
        assertThat(chosen(null, List.of(), topics, false)).isEqualTo(ModelKind.RECURRENT);
        assertThat(chosen(null, List.of(), TrainingSetFacts.UNREAD, true)).isEqualTo(ModelKind.RECURRENT);
        assertThat(ClassifierDefaults.model(null, List.of("--max-length", "--hidden"), topics, true).notes())
                .containsExactly("the recurrent classifier: --max-length, --hidden are options of it alone (the default"
                        + " is the n-gram classifier without them, --model ngram)");
        assertThat(ClassifierDefaults.model(null, List.of(), topics, false).notes()).singleElement().asString()
                .contains("not with --gpus or --spark-master");
    }

    /** Every option only the recurrent model reads keeps it, through the command line's own list. */
    @Test
    void eachRecurrentOptionKeepsTheRecurrentModelThroughTheCommandLine() {
        List<List<String>> options = List.of(List.of("--token-level", "word"), List.of("--tokenizer", "tok.json",
                "--token-level", "subword"), List.of("--vocab", "dp"), List.of("--vocab-size", "512"),
                List.of("--embedding", "8"), List.of("--hidden", "8"), List.of("--layers", "2"), List.of("--bidirectional"),
                List.of("--pooling", "last"), List.of("--cell", "gru"), List.of("--init", "none"),
                List.of("--tune", "2", "--valid", "v.csv"), List.of("--max-length", "32"));
        for (List<String> option : options) {
            List<String> args = new ArrayList<>(List.of("--train", "t.csv", "--epsilon", "3"));
            args.addAll(option);
            TrainingJob.Settings settings = ParsedTrainingOptions.settingsFor(List.of("billing", "access"), 600, true,
                    args.toArray(String[]::new));
            assertThat(settings.ngramModel()).as(option.toString()).isFalse();
        }
        TrainingJob.Settings plain = ParsedTrainingOptions.settingsFor(List.of("billing", "access"), 600, true,
                "--train", "t.csv", "--epsilon", "3");
        assertThat(plain.ngramModel()).isTrue();
        // steps split over devices (--gpus): the sums are not this process's alone
        TrainingJob.Settings devices = ParsedTrainingOptions.settingsFor(List.of("billing", "access"), 600, 0, true,
                false, "--train", "t.csv", "--epsilon", "3");
        assertThat(devices.ngramModel()).isFalse();
    }

    @Test
    void anExplicitModelIsKept() {
        assertThat(chosen("ngram", List.of(), facts(20, "de", "fr"), true)).isEqualTo(ModelKind.NGRAM);
        assertThat(chosen("lstm", List.of(), facts(5000, "billing", "access"), true)).isEqualTo(ModelKind.RECURRENT);
    }

    private CliRunner.Result train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--epsilon", "3",
                "--epochs", "2", "--threads", "1", "--seed", "1", "--ledger", dir.resolve("ledger.jsonl").toString(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void aRunWithoutModelOptionsIsAnNgramRunAndSaysSo() throws Exception {
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 200, "billing", "access");
        Path run = dir.resolve("default");
        CliRunner.Result trained = train(data, run);
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(trained.out() + trained.err()).contains("note: a linear classifier over hashed character n-grams");
        JsonNode start = events(run).get(0);
        assertThat(start.get("config").get("run").get("model").asText()).isEqualTo("ngram");
        assertThat(start.get("config").get("encoding").get("token_level").asText()).isEqualTo("ngram");
        assertThat(start.get("config").get("dp_sgd").get("learning_rate").asDouble()).isEqualTo(TrainingOptions.NGRAM_LEARNING_RATE);
        // the record names no recurrent size or word vocabulary the run did not use, in the log and in run.json
        for (JsonNode record : List.of(start.get("config").get("run"), json.readTree(run.resolve("run.json").toFile()))) {
            for (String unused : List.of("cell", "embedding", "hidden", "layers", "bidirectional", "pooling", "vocab",
                    "vocab_size", "tied_embedding")) {
                assertThat(record.has(unused)).as(unused).isFalse();
            }
            assertThat(record.get("max_length").asInt()).isEqualTo(2048);
        }
        // the report a compliance reader gets names the model
        CliRunner.Result report = CliRunner.run("report", run.toString(), "--ledger", dir.resolve("ledger.jsonl").toString());
        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("| model | classifier (linear, over hashed character n-grams) |");

        // a default run is no warm start for a recurrent one: one line saying so, nothing written
        Path warm = dir.resolve("warm");
        CliRunner.assertBadInputWritesNothing(warm, "holds an n-gram model (--model ngram, the classifiers' default),"
                + " which has no recurrent weights to start from; train the initial run with --model lstm",
                "train", "--train", data.toString(), "--epsilon", "3", "--init", run.toString(), "--ledger",
                dir.resolve("ledger.jsonl").toString(), "--out", warm.toString());
    }

    @Test
    void maxLengthOrAnotherRecurrentOptionKeepsTheRecurrentModel() throws Exception {
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 200, "billing", "access");
        for (List<String> option : List.of(List.of("--max-length", "32"), List.of("--hidden", "16"))) {
            Path run = dir.resolve("recurrent" + option.get(0));
            CliRunner.Result trained = train(data, run, option.toArray(String[]::new));
            assertThat(trained.exitCode()).as(trained.err()).isZero();
            JsonNode config = events(run).get(0).get("config");
            assertThat(config.get("run").has("model")).as(option.toString()).isFalse();
            assertThat(config.get("encoding").get("token_level").asText()).as(option.toString()).isEqualTo("word");
            CliRunner.Result report = CliRunner.run("report", run.toString(), "--ledger",
                    dir.resolve("ledger.jsonl").toString());
            assertThat(report.out()).as(report.err()).contains("| model | classifier |");
        }
    }
}
