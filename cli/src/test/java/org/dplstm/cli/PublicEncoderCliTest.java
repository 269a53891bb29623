package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;
import static org.dplstm.cli.ShippedModels.parameter;
import static org.dplstm.training.provenance.AuditTrails.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.provenance.AuditTrails;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --init public:NAME} and {@code --freeze}: the shipped encoder, pinned; bad input refused. */
class PublicEncoderCliTest {

    @TempDir Path dir;

    private List<String> train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--noise-multiplier", "1.0",
                "--batch-size", "20", "--epochs", "2", "--token-level", "char", "--seed", "1",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aFrozenEncoderRunKeepsTheShippedEncoderAndPinsIt() throws Exception {
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 60, "billing", "access");
        Path run = dir.resolve("run");
        CliRunner.Result trained = CliRunner.run(train(data, run, "--init", "public:multilingual-char",
                "--freeze", "encoder").toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();

        PublicEncoder encoder = PublicEncoder.named("multilingual-char");
        Path shipped = ShippedModels.copy("multilingual-char", dir);
        assertThat(AuditTrails.sha256(Files.readAllBytes(shipped))).isEqualTo(encoder.sha256());
        JsonNode start = events(run).get(0);
        assertThat(start.get("config").get("run").get("public_encoder").asText()).isEqualTo("multilingual-char");
        assertThat(start.get("config").get("run").get("init_model_sha256").asText()).isEqualTo(encoder.sha256());
        assertThat(start.get("config").get("dp_sgd").get("freeze").asText()).isEqualTo("encoder");
        // frozen: the embedding and LSTM are the shipped ones, bit for bit; the head has moved
        for (String name : List.of("embedding", "lstm.l0.fwd.w_ih", "lstm.l0.fwd.w_hh", "lstm.l0.fwd.bias")) {
            assertThat(parameter(run.resolve("model.bin"), name)).as(name).containsExactly(parameter(shipped, name));
        }
        assertThat(parameter(run.resolve("model.bin"), "output.bias")).hasSize(2);
        assertThat(CliRunner.run("audit", "verify", run.toString()).exitCode()).isZero();
    }

    @Test
    void ngramsAreTheDefaultAndCharactersStartFromTheEncoderWhereItFits() throws Exception {
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 40, "billing", "access");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String variant : List.of("default", "char-32", "char-8", "char-gru")) {
            Path run = dir.resolve(variant);
            List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--no-privacy",
                    "--epochs", "1", "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", run.toString()));
            if (variant.equals("char-gru")) {
                args.addAll(List.of("--token-level", "char", "--cell", "gru"));
            } else if (!variant.equals("default")) {
                args.addAll(List.of("--token-level", "char", "--hidden", variant.substring("char-".length())));
            }
            CliRunner.Result trained = CliRunner.run(args.toArray(String[]::new));
            assertThat(trained.exitCode()).as(trained.err()).isZero();
            JsonNode settings = json.readTree(run.resolve("run.json").toFile());
            switch (variant) {
                case "default" -> {
                    // topic labels: the n-gram model (ModelDefaultTest), no encoder
                    assertThat(settings.get("token_level").asText()).isEqualTo("ngram");
                    assertThat(settings.get("public_encoder").isNull()).isTrue();
                    assertThat(settings.get("dp_sgd").has("freeze")).isFalse();
                    assertThat(trained.err()).contains("note: a linear classifier over hashed character n-grams");
                }
                case "char-32" -> {
                    assertThat(settings.get("token_level").asText()).isEqualTo("char");
                    assertThat(settings.get("public_encoder").asText()).isEqualTo("multilingual-char");
                    // 20 records per label: the output layer only
                    assertThat(settings.get("dp_sgd").get("freeze").asText()).isEqualTo("encoder");
                    assertThat(trained.err()).contains("note: 40 training records for 2 labels (fewer than 500 per"
                            + " label): only the output layer is trained (--freeze encoder)");
                }
                case "char-gru" -> {
                    // the shipped encoder's sizes fit, its cell does not
                    assertThat(settings.get("token_level").asText()).isEqualTo("char");
                    assertThat(settings.get("public_encoder").isNull()).isTrue();
                    assertThat(settings.get("dp_sgd").has("freeze")).isFalse();
                    assertThat(trained.err()).contains("note: the public encoder multilingual-char (the default start"
                            + " for characters) is an LSTM, not a gru: training from random weights");
                }
                default -> {
                    assertThat(settings.get("public_encoder").isNull()).isTrue();
                    assertThat(settings.get("dp_sgd").has("freeze")).isFalse();
                    assertThat(trained.err()).contains("note: the public encoder multilingual-char (the default start"
                            + " for characters) does not fit sizes embedding 16, hidden 8, 1 layer(s)");
                }
            }
        }
    }

    @Test
    void labelsThatNameLanguagesStartFromTheFrozenEncoderAndSaySo() throws Exception {
        Path data = TicketFiles.jsonl(dir, "languages.jsonl", 40, "en", "de");
        Path run = dir.resolve("languages");
        CliRunner.Result trained = CliRunner.run("train", "--train", data.toString(), "--epsilon", "8", "--epochs", "1",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", run.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(trained.err()).contains("note: the labels name languages (language identification): characters"
                + " from the public encoder multilingual-char");
        JsonNode start = events(run).get(0);
        assertThat(start.get("config").get("run").get("token_level").asText()).isEqualTo("char");
        assertThat(start.get("config").get("run").get("public_encoder").asText()).isEqualTo("multilingual-char");
        assertThat(start.get("config").get("dp_sgd").get("freeze").asText()).isEqualTo("encoder");
        CliRunner.Result predicted = CliRunner.run("predict", "--model", run.toString(), "--text", "guten Tag");
        assertThat(predicted.exitCode()).as(predicted.err()).isZero();
        // an explicit --freeze is kept once the labels chose the start (the provisional settings do not refuse it)
        Path frozen = dir.resolve("languages-frozen");
        CliRunner.Result explicit = CliRunner.run("train", "--train", data.toString(), "--epsilon", "8", "--epochs", "1",
                "--freeze", "embedding", "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", frozen.toString());
        assertThat(explicit.exitCode()).as(explicit.err()).isZero();
        assertThat(events(frozen).get(0).get("config").get("dp_sgd").get("freeze").asText()).isEqualTo("embedding");
    }

    @Test
    void unknownEncodersMisfitsAndFreezeWithoutWarmStartAreRefused() throws Exception {
        Path data = TicketFiles.jsonl(dir, "tickets.jsonl", 40, "billing", "access");
        Path out = dir.resolve("refused");
        assertBadInputWritesNothing(out, "public encoder must be one of [multilingual-char, latin-char-lm, en-de-char], was nope",
                train(data, out, "--init", "public:nope").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--freeze encoder needs a warm start",
                train(data, out, "--freeze", "encoder", "--init", "none").toArray(String[]::new));
        // other sizes do not fit the default encoder: no warm start, so nothing to freeze
        assertBadInputWritesNothing(out, "--freeze encoder needs a warm start",
                train(data, out, "--freeze", "encoder", "--hidden", "8").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--freeze embedding needs a warm start",
                train(data, out, "--freeze", "embedding", "--init", "none").toArray(String[]::new));
        assertBadInputWritesNothing(out, "public encoder multilingual-char has char tokens, vocabulary",
                train(data, out, "--init", "public:multilingual-char", "--hidden", "8").toArray(String[]::new));
        assertBadInputWritesNothing(out, "lstm hidden 32, 1 layer(s), one direction; this run has char tokens,",
                train(data, out, "--init", "public:multilingual-char", "--cell", "gru").toArray(String[]::new));
        assertBadInputWritesNothing(out, "freeze must be one of [none, embedding, encoder], was head",
                train(data, out, "--freeze", "head").toArray(String[]::new));
    }
}
