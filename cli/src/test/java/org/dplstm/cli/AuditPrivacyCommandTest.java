package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.synthetic.SupportTickets;
import org.dplstm.training.provenance.AuditTrails;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dplstm audit privacy}: bad input writes nothing; a run writes privacy_audit.json that report shows. */
@Tag("engine")
class AuditPrivacyCommandTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private static CliRunner.Result run(String... args) {
        return CliRunner.run(args);
    }

    private Path tickets() throws IOException {
        Path file = dir.resolve("tickets.csv");
        SupportTickets.writeCsv(SupportTickets.generate(240, 5), file);
        return file;
    }

    private static String[] args(Path train, Path out, String... extra) {
        List<String> all = new java.util.ArrayList<>(List.of("audit", "privacy", "--train", train.toString(),
                "--repeats", "4", "--secret-digits", "2", "--batch-size", "40", "--epochs", "2", "--embedding", "8",
                "--hidden", "8", "--max-length", "16", "--token-level", "word", "--out", out.toString()));
        all.addAll(Arrays.asList(extra));
        if (!all.contains("--canaries")) {
            all.addAll(List.of("--canaries", "3"));
        }
        if (!all.contains("--audit-examples")) {
            all.addAll(List.of("--audit-examples", "60"));
        }
        return all.toArray(String[]::new);
    }


    @Test
    void badInputExitsTwoAndWritesNothing() throws IOException {
        Path train = tickets();
        Path out = dir.resolve("run");
        assertBadInputWritesNothing(out, "canaries must be >= 1, was 0", args(train, out, "--no-privacy", "--canaries", "0"));
        assertBadInputWritesNothing(out, "canary label must be one of the training labels",
                args(train, out, "--no-privacy", "--canary-label", "sports"));
        assertBadInputWritesNothing(out, "audit examples must be <= half the training records (120), was 500",
                args(train, out, "--no-privacy", "--audit-examples", "500"));
        assertBadInputWritesNothing(out, "give exactly one of --epsilon, --noise-multiplier and --no-privacy",
                args(train, out, "--no-privacy", "--epsilon", "3"));
        // Found only once the vocabulary exists (after planning), still before anything is written.
        assertBadInputWritesNothing(out, "canary secrets must be visible to the model",
                args(train, out, "--no-privacy", "--vocab-size", "4"));
        assertBadInputWritesNothing(out, "--train is required", "audit", "privacy", "--no-privacy", "--out", out.toString());
    }

    @Test
    void aPrivateRunWritesTheAuditAndTheReportIncludesIt() throws IOException {
        Path train = tickets();
        Path out = dir.resolve("run");
        CliRunner.Result audited = run(args(train, out, "--epsilon", "2", "--delta", "1e-4", "--seed", "1"));
        assertThat(audited.exitCode()).as(audited.err()).isEqualTo(0);
        assertThat(audited.out()).contains("epsilon lower bound (95% confidence)");

        JsonNode audit = json.readTree(out.resolve("privacy_audit.json").toFile());
        assertThat(audit.get("exposure").get("per_canary")).hasSize(3);
        assertThat(audit.get("exposure").get("mean").isNumber()).isTrue();
        assertThat(audit.get("mia_auc").asDouble()).isBetween(0.0, 1.0);
        assertThat(audit.get("mia_tpr_at_fpr").has("0.001")).isTrue();
        assertThat(audit.get("mia_tpr_at_fpr").has("0.01")).isTrue();
        double formal = audit.get("epsilon_formal").asDouble();
        JsonNode report = json.readTree(out.resolve("report.json").toFile());
        assertThat(formal).isEqualTo(report.get("epsilon").asDouble());
        assertThat(audit.get("epsilon_lower_bound").asDouble()).isBetween(0.0, formal);
        assertThat(audit.get("experiment").get("audit_examples").asInt()).isEqualTo(60);

        byte[] png = Files.readAllBytes(RunFiles.of(out).privacyAuditChart());
        assertThat(Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');

        CliRunner.Result reported = run("report", out.toString(), "--format", "json");
        assertThat(reported.exitCode()).as(reported.err()).isEqualTo(0);
        JsonNode reportJson = json.readTree(reported.out());
        assertThat(reportJson.get("privacy_audit").get("epsilon_lower_bound").asDouble())
                .isEqualTo(audit.get("epsilon_lower_bound").asDouble());
        CliRunner.Result markdown = run("report", out.toString());
        assertThat(markdown.exitCode()).as(markdown.err()).isEqualTo(0);
        assertThat(markdown.out()).containsIgnoringCase("empirical");
    }

    @Test
    void theDefaultNgramClassifierIsAuditedToo() throws IOException {
        // no option of the recurrent model: the default model, the n-gram one, trains with the canaries
        Path train = tickets();
        Path out = dir.resolve("run");
        CliRunner.Result audited = run("audit", "privacy", "--train", train.toString(), "--repeats", "4",
                "--secret-digits", "2", "--batch-size", "40", "--epochs", "2", "--canaries", "3", "--audit-examples", "60",
                "--epsilon", "2", "--delta", "1e-4", "--seed", "1", "--out", out.toString());
        assertThat(audited.exitCode()).as(audited.err()).isEqualTo(0);
        assertThat(AuditTrails.events(out).get(0).get("config").get("run").get("model").asText()).isEqualTo("ngram");
        JsonNode audit = json.readTree(out.resolve("privacy_audit.json").toFile());
        assertThat(audit.get("exposure").get("per_canary")).hasSize(3);
        assertThat(audit.get("epsilon_lower_bound").asDouble()).isBetween(0.0, audit.get("epsilon_formal").asDouble());
    }

    @Test
    void withoutPrivacyTheFormalEpsilonIsNull() throws IOException {
        Path train = tickets();
        Path out = dir.resolve("run");
        CliRunner.Result audited = run(args(train, out, "--no-privacy", "--seed", "2"));
        assertThat(audited.exitCode()).as(audited.err()).isEqualTo(0);
        JsonNode audit = json.readTree(out.resolve("privacy_audit.json").toFile());
        assertThat(audit.get("epsilon_formal").isNull()).isTrue();
        assertThat(audit.get("epsilon_lower_bound").isNumber()).isTrue();
        assertThat(audited.out()).contains("formal epsilon: none (no privacy)");
    }
}
