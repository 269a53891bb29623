package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's files are bound to its audit log: a swapped or damaged model, a log copied from another
 * run, or an edited report.json is named by {@code audit verify} (exit 1) and {@code report} (exit
 * 6), and refused by every command that loads a model (exit 2). A moved run directory still
 * verifies: the log names its files relative to it.
 */
class ArtefactBindingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Path ledger() {
        return dir.resolve("ledger.jsonl");
    }

    private Path train(String name, String... privacy) throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--epochs", "1",
                "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--vocab-size", "32", "--max-length", "6",
                "--out", out.toString(), "--ledger", ledger().toString()));
        args.addAll(List.of(privacy));
        CliRunner.Result trained = CliRunner.run(args.toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        return out;
    }

    private CliRunner.Result verify(Path run) {
        return CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger().toString());
    }

    private static void assertOneLineRefusal(CliRunner.Result result, int exitCode, String names) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(exitCode);
        assertThat(result.err().lines().filter(l -> l.startsWith("dplstm: "))).as(result.err()).hasSize(1);
        assertThat(result.err()).contains(names).doesNotContain("\tat ");
    }

    @Test
    void aSwappedOrDamagedModelIsNamedByVerifyAndReportAndRefusedByEveryLoader() throws Exception {
        Path run = train("private", "--noise-multiplier", "1.0");
        Path other = train("public", "--no-privacy");
        assertThat(verify(run).exitCode()).as(verify(run).out()).isZero();

        Files.copy(other.resolve("model.bin"), run.resolve("model.bin"), StandardCopyOption.REPLACE_EXISTING);
        CliRunner.Result verified = verify(run);
        assertThat(verified.exitCode()).as(verified.out()).isEqualTo(1);
        assertThat(verified.out()).startsWith("TAMPERED: ").contains(run.resolve("model.bin") + " does not match the log")
                .doesNotContain("final hash matches");
        CliRunner.Result reported = CliRunner.run("report", run.toString(), "--ledger", ledger().toString());
        assertThat(reported.exitCode()).isEqualTo(6);
        assertThat(reported.out()).contains("THE RUN'S RECORD DOES NOT HOLD TOGETHER").contains("model.bin does not match");
        assertThat(reported.err()).contains("model.bin");
        assertOneLineRefusal(CliRunner.run("predict", "--model", run.toString(), "--text", "refund please"), 2,
                run.resolve("model.bin") + " does not match the log");
        Path data = dir.resolve("train.jsonl");
        CliRunner.Result warmStart = CliRunner.run("train", "--train", data.toString(), "--no-privacy", "--epochs", "1",
                "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--vocab-size", "32", "--max-length", "6",
                "--init", run.toString(), "--out", dir.resolve("warm").toString(), "--ledger", ledger().toString());
        assertOneLineRefusal(warmStart, 2, "model.bin does not match the log");
        assertThat(dir.resolve("warm")).doesNotExist();

        byte[] flipped = Files.readAllBytes(other.resolve("model.bin"));
        flipped[flipped.length - 3] ^= 1;
        Files.write(other.resolve("model.bin"), flipped);
        assertThat(verify(other).exitCode()).isEqualTo(1);
        assertOneLineRefusal(CliRunner.run("predict", "--model", other.toString(), "--text", "refund please"), 2,
                "model.bin does not match the log");
    }

    @Test
    void aLanguageModelIsCheckedBeforeGenerating() throws Exception {
        Path text = SentenceFiles.write(dir, "train.txt", 60);
        Path run = dir.resolve("lm");
        CliRunner.Result trained = CliRunner.run("train", "--task", "lm", "--train", text.toString(), "--noise-multiplier",
                "1.0", "--epochs", "1", "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--out", run.toString(),
                "--ledger", ledger().toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(CliRunner.run("generate", "--model", run.toString(), "--max-tokens", "3").exitCode()).isZero();
        Files.writeString(run.resolve("lm_encoder.json"), Files.readString(run.resolve("lm_encoder.json")) + " ");
        assertOneLineRefusal(CliRunner.run("generate", "--model", run.toString(), "--max-tokens", "3"), 2,
                "lm_encoder.json does not match the log");
    }

    @Test
    void aLogCopiedFromAnotherRunIsTamperingAndTheLedgerIsNotClaimedToMatch() throws Exception {
        Path run = train("a", "--noise-multiplier", "1.0");
        Path other = train("b", "--noise-multiplier", "1.0");
        Files.copy(other.resolve("audit.jsonl"), run.resolve("audit.jsonl"), StandardCopyOption.REPLACE_EXISTING);
        CliRunner.Result verified = verify(run);
        assertThat(verified.exitCode()).as(verified.out()).isEqualTo(1);
        assertThat(verified.out()).startsWith("TAMPERED: ").contains("does not match the log")
                .doesNotContain("final hash matches");

        // A whole run directory moved (or copied) elsewhere still verifies, ledger included.
        Path moved = dir.resolve("moved").resolve("b");
        Files.createDirectories(moved.getParent());
        Files.move(other, moved);
        CliRunner.Result movedVerified = verify(moved);
        assertThat(movedVerified.exitCode()).as(movedVerified.out()).isZero();
        assertThat(movedVerified.out()).contains("ledger: the log's final hash matches");
    }

    @Test
    void theReportIsBuiltFromTheLogAndSaysWhereReportJsonDisagrees() throws Exception {
        Path run = train("r", "--noise-multiplier", "1.0");
        CliRunner.Result honest = CliRunner.run("report", run.toString(), "--format", "json", "--ledger", ledger().toString());
        assertThat(honest.exitCode()).as(honest.err()).isZero();
        JsonNode truth = JSON.readTree(honest.out());
        assertThat(truth.get("integrity").get("ok").asBoolean()).isTrue();

        ObjectNode edited = (ObjectNode) JSON.readTree(run.resolve("report.json").toFile());
        edited.put("epsilon", 0.01).put("privacy_unit", "user").put("noise_multiplier", 50.0).put("steps", 1)
                .put("valid_accuracy", 0.999).put("delta", 1e-12).put("sample_rate", 0.0001);
        Files.writeString(run.resolve("report.json"), JSON.writeValueAsString(edited));
        CliRunner.Result json = CliRunner.run("report", run.toString(), "--format", "json", "--ledger", ledger().toString());
        assertThat(json.exitCode()).as(json.err()).isEqualTo(6);
        JsonNode report = JSON.readTree(json.out());
        for (String figure : List.of("epsilon", "privacy_unit", "noise_multiplier", "steps", "valid_accuracy", "delta",
                "sample_rate")) {
            assertThat(report.get(figure)).as(figure).isEqualTo(truth.get(figure));
            assertThat(report.get("integrity").get("problems").toString()).contains("report.json says " + figure + " = ");
        }
        assertThat(report.get("integrity").get("problems").get(0).asText()).contains("report.json does not match the log");
        CliRunner.Result markdown = CliRunner.run("report", run.toString(), "--ledger", ledger().toString());
        assertThat(markdown.exitCode()).isEqualTo(6);
        assertThat(markdown.out()).contains("report.json says epsilon = 0.01, the log says " + truth.get("epsilon").asDouble());
        assertThat(markdown.err().trim()).startsWith("dplstm: the run's record does not hold together:");
    }

    @Test
    void aCheckpointTheLogNamesIsPublishedOnResumeAndOneItDoesNotNameIsDropped() throws Exception {
        Path run = train("killed", "--noise-multiplier", "1.0");
        // A kill after the last checkpoint event and before the rename: the checkpoint is synced
        // under its temporary name only, and the log ends with that event.
        List<String> lines = Files.readAllLines(run.resolve("audit.jsonl"));
        int lastCheckpoint = 0;
        for (int i = 0; i < lines.size(); i++) {
            lastCheckpoint = lines.get(i).contains("\"type\":\"checkpoint\"") ? i : lastCheckpoint;
        }
        Files.write(run.resolve("audit.jsonl"), lines.subList(0, lastCheckpoint + 1));
        Files.move(run.resolve("checkpoint.bin"), run.resolve(".checkpoint.bin.tmp"));
        // (another ledger: the first one recorded the run as finished, and refuses to resume a log that lost its end)
        Path ledger = dir.resolve("second-ledger.jsonl");
        CliRunner.Result resumed = CliRunner.run("train", "--resume", run.toString(), "--ledger", ledger.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(run.resolve(".checkpoint.bin.tmp")).doesNotExist();
        assertThat(CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString()).exitCode()).isZero();

        // A write the log never recorded (killed before its checkpoint event) is not published.
        lines = Files.readAllLines(run.resolve("audit.jsonl"));
        Files.write(run.resolve("audit.jsonl"), lines.subList(0, lines.size() - 1));
        Files.writeString(run.resolve(".checkpoint.bin.tmp"), "half a checkpo");
        Path third = dir.resolve("third-ledger.jsonl");
        CliRunner.Result again = CliRunner.run("train", "--resume", run.toString(), "--ledger", third.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(run.resolve(".checkpoint.bin.tmp")).doesNotExist();
        assertThat(CliRunner.run("audit", "verify", run.toString(), "--ledger", third.toString()).exitCode()).isZero();
    }

    @Test
    void aResumeRefusesACheckpointTheLogDoesNotName() throws Exception {
        Path run = train("crashed", "--noise-multiplier", "1.0");
        Path other = train("other", "--noise-multiplier", "1.0");
        // The finished run without its run_end line (a valid prefix) is a crashed run to resume.
        List<String> lines = Files.readAllLines(run.resolve("audit.jsonl"));
        Files.write(run.resolve("audit.jsonl"), lines.subList(0, lines.size() - 1));
        Files.copy(other.resolve("checkpoint.bin"), run.resolve("checkpoint.bin"), StandardCopyOption.REPLACE_EXISTING);
        // (another ledger: the first one recorded the run as finished, and refuses to resume a log that lost its end)
        assertOneLineRefusal(CliRunner.run("train", "--resume", run.toString(), "--ledger",
                dir.resolve("fresh-ledger.jsonl").toString()), 2, "checkpoint.bin does not match the log");
    }
}
