package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.model.TextModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --init RUN_DIR}: the model starts from a finished run's weights, and a run that
 * encodes text differently or has another shape is refused before anything is written.
 */
class WarmStartTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private Path jsonl(String name, int count, String... labels) throws IOException {
        return TicketFiles.jsonl(dir, name, count, labels);
    }

    private String[] train(Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--no-privacy",
                "--batch-size", "20", "--embedding", "8", "--hidden", "8", "--seed", "1",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static float[][] weights(Path runDir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                TextModel model = ModelFile.loadAny(runDir.resolve("model.bin"), manager)) {
            NDList parameters = model.parameters();
            float[][] values = new float[parameters.size()][];
            for (int i = 0; i < values.length; i++) {
                NDArray parameter = parameters.get(i);
                values[i] = parameter.toFloatArray();
            }
            return values;
        }
    }

    @Test
    void aRunStartsFromTheInitialRunsWeights() throws Exception {
        Path publicData = jsonl("public.jsonl", 80, "billing", "login");
        Path privateData = jsonl("private.jsonl", 60, "billing", "login");
        Path initial = dir.resolve("initial");
        CliRunner.Result first = CliRunner.run(train(publicData, initial, "--epochs", "20", "--lr", "0.05"));
        assertThat(first.exitCode()).as(first.err()).isEqualTo(0);

        // A learning rate of 1e-9 leaves the weights where they started (Adam moves each by at
        // most about the learning rate): from the initial run's, not from a fresh initialisation.
        Path warm = dir.resolve("warm");
        CliRunner.Result second = CliRunner.run(train(privateData, warm, "--epochs", "1", "--lr", "1e-9",
                "--init", initial.toString()));
        assertThat(second.exitCode()).as(second.err()).isEqualTo(0);
        Path cold = dir.resolve("cold");
        CliRunner.Result third = CliRunner.run(train(privateData, cold, "--epochs", "1", "--lr", "1e-9"));
        assertThat(third.exitCode()).as(third.err()).isEqualTo(0);

        float[][] start = weights(initial);
        float[][] warmWeights = weights(warm);
        float[][] coldWeights = weights(cold);
        double warmDistance = 0;
        double coldDistance = 0;
        for (int p = 0; p < start.length; p++) {
            for (int i = 0; i < start[p].length; i++) {
                warmDistance = Math.max(warmDistance, Math.abs(warmWeights[p][i] - start[p][i]));
                coldDistance = Math.max(coldDistance, Math.abs(coldWeights[p][i] - start[p][i]));
            }
        }
        assertThat(warmDistance).isLessThan(1e-6);
        assertThat(coldDistance).isGreaterThan(1e-2);
        @SuppressWarnings("unchecked")
        Map<String, Object> run = json.readValue(warm.resolve("run.json").toFile(), Map.class);
        assertThat(run.get("init")).isEqualTo(initial.toAbsolutePath().toString());
        // the audit log's run_start pins the initial weights by their SHA-256 (computed here independently)
        String expectedSha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(initial.resolve("model.bin"))));
        String runStart = Files.readAllLines(warm.resolve("audit.jsonl")).get(0);
        assertThat(json.readTree(runStart).findValue("init_model_sha256").asText()).isEqualTo(expectedSha);
    }

    @Test
    void anIncompatibleInitialRunIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path data = jsonl("data.jsonl", 60, "billing", "login");
        Path initial = dir.resolve("initial");
        CliRunner.Result first = CliRunner.run(train(data, initial, "--epochs", "1"));
        assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
        Path out = dir.resolve("out");
        assertBadInputWritesNothing(out, "initial run's model must have this run's shape",
                train(data, out, "--epochs", "1", "--layers", "2", "--init", initial.toString()));
        assertBadInputWritesNothing(out, "must encode text as this run does (labels, max length, tokenizer and"
                        + " vocabulary), but its encoder.json differs",
                train(jsonl("other.jsonl", 60, "billing", "shipping"), out, "--epochs", "1", "--init", initial.toString()));
        assertBadInputWritesNothing(out, "initial run must be a finished run directory with model.bin",
                train(data, out, "--epochs", "1", "--init", dir.toString()));
    }
}
