package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dplstm audit privacy --task seq2seq} on tiny generated pairs. */
@Tag("engine")
class AuditPrivacySeq2SeqCommandTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private static String[] args(Path train, Path out, String... extra) {
        List<String> all = new ArrayList<>(List.of("audit", "privacy", "--task", "seq2seq", "--train", train.toString(),
                "--canaries", "2", "--repeats", "3", "--secret-digits", "2", "--audit-examples", "20", "--batch-size", "40",
                "--epochs", "1", "--embedding", "8", "--hidden", "8", "--ledger", train.resolveSibling("ledger.jsonl").toString(),
                "--out", out.toString()));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void aPrivateEncoderDecoderAuditWritesPrivacyAuditJson() throws IOException {
        Path train = PairFiles.write(dir, "pairs.jsonl", 60);
        Path out = dir.resolve("run");
        CliRunner.Result audited = CliRunner.run(args(train, out, "--epsilon", "2", "--delta", "1e-3", "--seed", "1"));
        assertThat(audited.exitCode()).as(audited.err()).isEqualTo(0);
        assertThat(audited.err()).contains("audit: 2 canaries x 3 repeats, 20 audit examples");
        JsonNode audit = json.readTree(out.resolve("privacy_audit.json").toFile());
        double maxExposure = Math.log(100) / Math.log(2);
        assertThat(audit.get("exposure").get("per_canary")).hasSize(2);
        for (JsonNode exposure : audit.get("exposure").get("per_canary")) {
            assertThat(exposure.asDouble()).isBetween(0.0, maxExposure + 1e-9);
        }
        assertThat(audit.get("mia_auc").asDouble()).isBetween(0.0, 1.0);
        double formal = audit.get("epsilon_formal").asDouble();
        assertThat(formal).isEqualTo(json.readTree(out.resolve("report.json").toFile()).get("epsilon").asDouble());
        assertThat(audit.get("epsilon_lower_bound").asDouble()).isBetween(0.0, formal);
        assertThat(audit.get("experiment").get("audit_examples_kind").asText()).startsWith("random source -> random target");
        assertThat(CliRunner.run("audit", "verify", out.toString()).exitCode()).isZero();
    }

    @Test
    void secretsTheTargetCannotSpellAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path train = PairFiles.write(dir, "pairs.jsonl", 60);
        Path out = dir.resolve("run");
        // "my account pin is 7 7" has 21 characters
        assertBadInputWritesNothing(out, "canary secrets must be visible to the model",
                args(train, out, "--no-privacy", "--max-length", "20"));
        assertBadInputWritesNothing(out, "canary label applies to classifiers only",
                args(train, out, "--no-privacy", "--canary-label", "x"));
    }
}
