package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dplstm.audit.run.RunFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dplstm audit privacy --task lm} on a tiny generated text file, and {@code report} on its run directory. */
@Tag("engine")
class AuditPrivacyLanguageModelCommandTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    /** The audit command with tiny defaults; an option in {@code extra} replaces its default. */
    private static String[] args(Path train, Path out, String... extra) {
        List<String> defaults = List.of("--canaries", "2", "--repeats", "3", "--secret-digits", "2",
                "--audit-examples", "20", "--batch-size", "40", "--epochs", "1", "--embedding", "8", "--hidden", "8",
                "--max-length", "40");
        List<String> given = Arrays.asList(extra);
        List<String> all = new ArrayList<>(List.of("audit", "privacy", "--task", "lm", "--train", train.toString(),
                "--out", out.toString()));
        for (int i = 0; i < defaults.size(); i += 2) {
            if (!given.contains(defaults.get(i))) {
                all.addAll(defaults.subList(i, i + 2));
            }
        }
        all.addAll(given);
        return all.toArray(String[]::new);
    }

    @Test
    void aPrivateLanguageModelAuditWritesPrivacyAuditJsonAndTheReportIncludesIt() throws IOException {
        Path train = SentenceFiles.write(dir.resolve("quotes.txt"), 7, 60);
        Path out = dir.resolve("run");
        CliRunner.Result audited = CliRunner.run(args(train, out, "--epsilon", "2", "--delta", "1e-3", "--seed", "1"));
        assertThat(audited.exitCode()).as(audited.err()).isEqualTo(0);
        assertThat(audited.err()).contains("audit: 2 canaries x 3 repeats, 20 audit examples");
        assertThat(audited.out()).contains("epsilon lower bound (95% confidence)");

        JsonNode audit = json.readTree(out.resolve("privacy_audit.json").toFile());
        assertThat(audit.get("exposure").get("per_canary")).hasSize(2);
        double maxExposure = Math.log(100) / Math.log(2);
        for (JsonNode exposure : audit.get("exposure").get("per_canary")) {
            assertThat(exposure.asDouble()).isBetween(0.0, maxExposure + 1e-9);
        }
        assertThat(audit.get("mia_auc").asDouble()).isBetween(0.0, 1.0);
        assertThat(audit.get("mia_tpr_at_fpr").has("0.001")).isTrue();
        assertThat(audit.get("mia_tpr_at_fpr").has("0.01")).isTrue();
        JsonNode report = json.readTree(out.resolve("report.json").toFile());
        double formal = audit.get("epsilon_formal").asDouble();
        assertThat(formal).isEqualTo(report.get("epsilon").asDouble()).isBetween(1.5, 2.0 + 1e-6);
        assertThat(audit.get("epsilon_lower_bound").asDouble()).isBetween(0.0, formal);
        assertThat(audit.get("experiment").get("audit_examples").asInt()).isEqualTo(20);
        assertThat(audit.get("experiment").get("audit_examples_kind").asText()).startsWith("random lines");
        assertThat(out.resolve("model.bin")).exists();

        byte[] png = Files.readAllBytes(RunFiles.of(out).privacyAuditChart());
        assertThat(Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');

        CliRunner.Result reported = CliRunner.run("report", out.toString(), "--format", "json");
        assertThat(reported.exitCode()).as(reported.err()).isEqualTo(0);
        JsonNode reportJson = json.readTree(reported.out());
        // The audit run keeps the training audit trail like any language-model run.
        assertThat(reportJson.get("verification").get("status").asText()).isEqualTo("intact");
        assertThat(CliRunner.run("audit", "verify", out.toString()).exitCode()).isZero();
        assertThat(reportJson.get("privacy_audit").get("epsilon_lower_bound").asDouble())
                .isEqualTo(audit.get("epsilon_lower_bound").asDouble());
        assertThat(reportJson.get("privacy_audit").get("exposure").get("mean").asDouble())
                .isEqualTo(audit.get("exposure").get("mean").asDouble());
        CliRunner.Result markdown = CliRunner.run("report", out.toString());
        assertThat(markdown.exitCode()).as(markdown.err()).isEqualTo(0);
        assertThat(markdown.out()).containsIgnoringCase("empirical");
    }

    @Test
    void badLanguageModelAuditInputExitsTwoAndWritesNothing() throws IOException {
        Path train = SentenceFiles.write(dir.resolve("quotes.txt"), 7, 60);
        Path out = dir.resolve("run");
        assertBadInputWritesNothing(out, "canary label applies to classifiers only",
                args(train, out, "--no-privacy", "--canary-label", "spam"));
        assertBadInputWritesNothing(out, "audit examples must be <= the training lines (60), was 61",
                args(train, out, "--no-privacy", "--audit-examples", "61"));
        // "my account pin is 7 7" has 21 characters: found once the encoder exists.
        assertBadInputWritesNothing(out, "canary secrets must be visible to the model",
                args(train, out, "--no-privacy", "--max-length", "20"));
    }

}
