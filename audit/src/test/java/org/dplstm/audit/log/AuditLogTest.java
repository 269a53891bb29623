package org.dplstm.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.audit.verify.LogVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir Path dir;

    @Test
    void eachLineCarriesSeqTimeTypePrevAndAHashOfItsCanonicalForm() throws Exception {
        SampleRun.write(dir, AuditKey.none());
        List<String> lines = Files.readAllLines(RunFiles.of(dir).log());
        String prev = "0".repeat(64);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode node = ChainedLines.mapper().readTree(lines.get(i));
            assertThat(node.get("seq").asLong()).isEqualTo(i + 1);
            assertThat(node.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(node.get("prev").asText()).isEqualTo(prev);
            // Independent recomputation of the documented canonical form.
            String canonical = lines.get(i).substring(0, lines.get(i).lastIndexOf(",\"hash\":")) + "}";
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
            assertThat(node.get("hash").asText()).isEqualTo(expected);
            prev = expected;
        }
        List<String> types = lines.stream().map(l -> l.replaceAll(".*\"type\":\"([a-z_]+)\".*", "$1")).toList();
        assertThat(types).containsExactly("run_start", "vocabulary", "epoch", "checkpoint", "epoch", "checkpoint",
                "epoch", "checkpoint", "epoch", "checkpoint", "run_end");
    }

    @Test
    void epochEventsCarryValidationMetricsOnly() throws Exception {
        SampleRun.write(dir, AuditKey.none());
        String text = Files.readString(RunFiles.of(dir).log());
        assertThat(text).contains("validation_loss").doesNotContain("train_loss").doesNotContain("train_accuracy");
    }

    @Test
    void resumeRecordsAndRepairsATornTail() throws Exception {
        try (AuditLog log = AuditLog.open(dir, AuditKey.none())) {
            log.runStart(SampleRun.runStart("r", 0.01, 1.0, 10));
            log.epoch(1, 5, Map.of("pld", 0.3), 1.0, 0.4);
        }
        Path file = RunFiles.of(dir).log();
        byte[] content = Files.readAllBytes(file);
        byte[] torn = "{\"seq\":3,\"time\":\"2024-".getBytes(StandardCharsets.UTF_8);
        byte[] withTorn = Arrays.copyOf(content, content.length + torn.length);
        System.arraycopy(torn, 0, withTorn, content.length, torn.length);
        Files.write(file, withTorn);

        try (AuditLog log = AuditLog.open(dir, AuditKey.none())) {
            assertThat(log.repairedTail()).isPresent();
            log.resume("checkpoint-1", 5, List.of());
            log.runEnd(SampleRun.runEnd(dir, "r", 10, Map.of("pld", 0.5), List.of()));
        }
        List<String> lines = Files.readAllLines(file);
        JsonNode repaired = ChainedLines.mapper().readTree(lines.get(2));
        assertThat(repaired.get("type").asText()).isEqualTo("torn_tail_repaired");
        assertThat(repaired.get("torn_bytes").asInt()).isEqualTo(torn.length);
        assertThat(repaired.get("torn_sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(torn)));
        var result = LogVerifier.verify(file, AuditKey.none(), LedgerLookup.none());
        assertThat(result.exitCode()).as(result.message()).isZero();
        assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("torn line of " + torn.length + " bytes"));
    }

    @Test
    void aTamperedLogIsNeverExtended() throws Exception {
        SampleRun.write(dir, AuditKey.none());
        Path file = RunFiles.of(dir).log();
        Files.writeString(file, Files.readString(file).replaceFirst("\"epoch\":2", "\"epoch\":7"));
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> AuditLog.open(dir, AuditKey.none()))
                .isInstanceOf(LogNotIntactException.class)
                .hasMessageContaining("line 5");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void eventFieldsCannotOverrideChainMembers() throws Exception {
        try (AuditLog log = AuditLog.open(dir, AuditKey.none())) {
            assertThatThrownBy(() -> log.append("custom", ChainedLines.mapper().createObjectNode().put("prev", "x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("was prev");
        }
    }

    @Test
    void datasetFingerprintFramesEachFileSoSplitsDiffer() throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "hello ");
        Path b = Files.writeString(dir.resolve("b"), "world");
        Path c = Files.writeString(dir.resolve("c"), "hello");
        Path d = Files.writeString(dir.resolve("d"), " world");
        assertThat(DatasetFingerprint.of(List.of(a, b))).isNotEqualTo(DatasetFingerprint.of(List.of(c, d)));
        // Independent recomputation: SHA-256 over (8-byte big-endian length, bytes) per file.
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String s : List.of("hello ", "world")) {
            digest.update(java.nio.ByteBuffer.allocate(8).putLong(s.length()).array());
            digest.update(s.getBytes(StandardCharsets.UTF_8));
        }
        String expected = HexFormat.of().formatHex(digest.digest());
        assertThat(DatasetFingerprint.of(List.of(a, b))).isEqualTo(expected);
        assertThat(DatasetFingerprint.ofContents(List.of("hello ".getBytes(StandardCharsets.UTF_8),
                "world".getBytes(StandardCharsets.UTF_8)))).isEqualTo(expected);
        assertThat(DatasetFingerprint.sha256Of(c)).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("hello".getBytes(StandardCharsets.UTF_8))));
    }
}
