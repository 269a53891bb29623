package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code train --tune K} (ARCHITECTURE §4.1): the whole search within --epsilon under RDP, its
 * tuning in report.json and the audit log, the ledger charged the tuned ε; bad input refused with
 * nothing written.
 */
class TuneCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private List<String> train(Path out, String... extra) throws Exception {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 200, "billing", "access");
        Path valid = TicketFiles.jsonl(dir, "valid.jsonl", 60, "billing", "access");
        List<String> args = new ArrayList<>(List.of("train", "--train", train.toString(), "--valid", valid.toString(),
                "--delta", "1e-3", "--batch-size", "40", "--embedding", "4", "--hidden", "4", "--vocab-size", "32",
                "--max-length", "6", "--epochs", "1", "--ledger", dir.resolve("ledger.jsonl").toString(),
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private static CliRunner.Result run(List<String> args) {
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void aTunedRunMeetsItsTargetRecordsItsTuningAndPassesAuditVerify() throws Exception {
        Path tuned = dir.resolve("tuned");
        CliRunner.Result result = run(train(tuned, "--epsilon", "3", "--tune", "2", "--dataset-budget", "10"));
        assertThat(result.exitCode()).as(result.err()).isZero();

        JsonNode report = JSON.readTree(tuned.resolve("report.json").toFile());
        assertThat(report.get("epsilon").asDouble()).isPositive().isLessThanOrEqualTo(3.0);
        assertThat(report.get("accountant").asText()).isEqualTo("rdp");
        JsonNode tuning = report.get("tuning");
        assertThat(tuning).isNotNull();
        int trials = tuning.get("trials_run").asInt();
        assertThat(trials).isGreaterThanOrEqualTo(1);
        assertThat(tuning.get("trials")).hasSize(trials);
        assertThat(tuning.get("grid")).hasSize(9);
        assertThat(tuning.get("chosen_trial").asInt()).isBetween(1, trials);
        assertThat(tuning.get("mean_trials").asDouble()).isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(tuning.get("epsilon").asDouble()).isEqualTo(report.get("epsilon").asDouble());
        JsonNode chosen = tuning.get("trials").get(tuning.get("chosen_trial").asInt() - 1);
        assertThat(tuning.get("chosen")).isEqualTo(JSON.createObjectNode().put("lr", chosen.get("lr").asDouble())
                .put("max_grad_norm", chosen.get("max_grad_norm").asDouble()));
        // The chosen trial has the highest noisy score.
        double best = Double.NEGATIVE_INFINITY;
        for (JsonNode trial : tuning.get("trials")) {
            best = Math.max(best, trial.get("noisy_score").asDouble());
        }
        assertThat(chosen.get("noisy_score").asDouble()).isEqualTo(best);

        String log = Files.readString(tuned.resolve("audit.jsonl"));
        assertThat(log).contains("\"type\":\"tuning\"").contains("\"mechanism\":\"repeated_selection\"");
        CliRunner.Result verified = CliRunner.run("audit", "verify", tuned.toString(), "--ledger",
                dir.resolve("ledger.jsonl").toString());
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
        CliRunner.Result reported = CliRunner.run("report", tuned.toString(), "--format", "json", "--ledger",
                dir.resolve("ledger.jsonl").toString());
        assertThat(reported.exitCode()).as(reported.err()).isZero();

        // The ledger charged the tuned ε, not one trial's.
        CliRunner.Result ledger = CliRunner.run("ledger", "--ledger", dir.resolve("ledger.jsonl").toString(),
                "--format", "json");
        assertThat(ledger.exitCode()).as(ledger.err()).isZero();
        double charged = JSON.readTree(ledger.out()).get("datasets").get(0).get("total_epsilon").asDouble();
        assertThat(charged).isCloseTo(report.get("epsilon").asDouble(), org.assertj.core.api.Assertions.within(1e-6));

        // One untuned run at the same target needs less noise: the search's cost is paid in σ.
        Path single = dir.resolve("single");
        CliRunner.Result once = run(train(single, "--epsilon", "3", "--accountant", "rdp"));
        assertThat(once.exitCode()).as(once.err()).isZero();
        double untunedSigma = JSON.readTree(single.resolve("report.json").toFile()).get("noise_multiplier").asDouble();
        assertThat(report.get("noise_multiplier").asDouble()).isGreaterThan(untunedSigma);

        // A later PLD run on the same data still has its budget checked: the ledger composes the
        // tuned run under RDP (PLD has no bound for it) instead of failing.
        Path later = dir.resolve("later");
        CliRunner.Result pld = run(train(later, "--epsilon", "1", "--dataset-budget", "100"));
        assertThat(pld.exitCode()).as(pld.err()).isZero();
        CliRunner.Result refused = run(train(dir.resolve("refused"), "--epsilon", "1", "--dataset-budget", "4"));
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(dir.resolve("refused")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "abc", "0.5", "NaN", "no-valid", "no-privacy", "lm", "pld", "vocab-dp", "user"})
    void badTuningIsRefusedWithOneLineAndNothingWritten(String bad) throws Exception {
        Path out = dir.resolve("out");
        List<String> args = switch (bad) {
            case "no-valid" -> withoutValid(train(out, "--epsilon", "3", "--tune", "2"));
            case "no-privacy" -> train(out, "--no-privacy", "--tune", "2");
            case "lm" -> train(out, "--epsilon", "3", "--tune", "2", "--task", "lm");
            case "pld" -> train(out, "--epsilon", "3", "--tune", "2", "--accountant", "pld");
            case "vocab-dp" -> train(out, "--epsilon", "3", "--tune", "2", "--vocab", "dp");
            case "user" -> train(out, "--epsilon", "3", "--tune", "2", "--privacy-unit", "user", "--user-field", "user");
            default -> train(out, "--epsilon", "3", "--tune", bad);
        };
        CliRunner.Result result = run(args);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err().strip().lines().count()).as(result.err()).isEqualTo(1);
        assertThat(result.err()).contains("--tune");
        assertThat(out).doesNotExist();
        assertThat(dir.resolve("ledger.jsonl")).doesNotExist();
    }

    /**
     * Trials whose weights became non-finite rank below every finite one; when every trial did, the
     * run ends as any such run: exit 7, its tuning and tuned ε recorded, the log intact.
     */
    @Test
    void aTuningWhoseTrialsAllGoNonFiniteEndsWithExitSevenAndItsSpendingRecorded() throws Exception {
        Path out = dir.resolve("diverged");
        CliRunner.Result result = run(train(out, "--epsilon", "3", "--tune", "1.5", "--lr", "1e30"));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(7);
        JsonNode tuning = JSON.readTree(out.resolve("report.json").toFile()).get("tuning");
        assertThat(tuning.get("trials")).allSatisfy(trial -> assertThat(trial.get("finite").asBoolean()).isFalse());
        assertThat(Files.readString(out.resolve("audit.jsonl"))).contains("\"type\":\"run_end\"")
                .contains("\"mechanism\":\"repeated_selection\"");
        CliRunner.Result verified = CliRunner.run("audit", "verify", out.toString(), "--ledger",
                dir.resolve("ledger.jsonl").toString());
        assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
    }

    @Test
    void resumeWithTuneIsRefused() throws Exception {
        Path out = dir.resolve("plain");
        CliRunner.Result first = run(train(out, "--epsilon", "3"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        byte[] before = Files.readAllBytes(out.resolve("audit.jsonl"));
        CliRunner.Result resumed = CliRunner.run("train", "--resume", out.toString(), "--tune", "2");
        assertThat(resumed.exitCode()).as(resumed.err()).isEqualTo(2);
        assertThat(resumed.err()).contains("--tune");
        assertThat(Files.readAllBytes(out.resolve("audit.jsonl"))).isEqualTo(before);
    }

    private static List<String> withoutValid(List<String> args) {
        List<String> out = new ArrayList<>(args);
        int at = out.indexOf("--valid");
        out.remove(at + 1);
        out.remove(at);
        return out;
    }
}
