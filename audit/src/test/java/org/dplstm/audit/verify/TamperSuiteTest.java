package org.dplstm.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.ChainedLines;
import org.dplstm.audit.log.SampleRun;
import org.dplstm.audit.run.RunFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of edit, at every position of a complete 11-line log. */
class TamperSuiteTest {

    @TempDir Path dir;
    Path log;
    List<String> original;

    @BeforeEach
    void writeLog() throws Exception {
        SampleRun.write(dir, AuditKey.none());
        log = RunFiles.of(dir).log();
        original = Forger.lines(log);
    }

    /** A ledger that recorded {@code runId} as complete with {@code finalHash}. */
    private static LedgerLookup completed(String runId, String finalHash) {
        LedgerLookup.Recorded recorded = new LedgerLookup.Recorded() {
            @Override
            public LedgerLookup.Status status() {
                return LedgerLookup.Status.COMPLETE;
            }

            @Override
            public Optional<String> finalLogHash() {
                return Optional.of(finalHash);
            }
        };
        return id -> id.equals(runId) ? Optional.of(recorded) : Optional.empty();
    }

    private VerificationResult verify() throws Exception {
        return LogVerifier.verify(log, AuditKey.none(), LedgerLookup.none());
    }

    private VerificationResult verifyAfter(List<String> lines) throws Exception {
        Forger.write(log, lines);
        return verify();
    }

    private void assertTamperedAt(VerificationResult result, long line) {
        assertThat(result.status()).as(result.message()).isEqualTo(VerificationResult.Status.TAMPERED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.badLine()).as(result.message()).isEqualTo(line);
        assertThat(result.message()).startsWith("line " + line + ":");
    }

    @Test
    void intactLogVerifies() throws Exception {
        VerificationResult result = verify();
        assertThat(original).hasSize(11);
        assertThat(result.status()).isEqualTo(VerificationResult.Status.INTACT);
        assertThat(result.exitCode()).isZero();
        assertThat(result.events()).isEqualTo(11);
        assertThat(result.runId()).contains("run-1");
    }

    @Test
    void verifierRejectsAModifiedFieldOnEveryLine() throws Exception {
        for (int i = 0; i < original.size(); i++) {
            List<String> lines = new ArrayList<>(original);
            String edited = lines.get(i).replaceFirst("\"time\":\"2", "\"time\":\"1");
            assertThat(edited).isNotEqualTo(lines.get(i));
            lines.set(i, edited);
            assertTamperedAt(verifyAfter(lines), i + 1);
        }
    }

    @Test
    void verifierRejectsEverySingleByteFlipExceptTheFinalNewline() throws Exception {
        byte[] content = Files.readAllBytes(log);
        for (int position = 0; position < content.length - 1; position++) {
            byte[] flipped = content.clone();
            flipped[position] ^= 0x01;
            Files.write(log, flipped);
            VerificationResult result = verify();
            assertThat(result.exitCode()).as("byte %d: %s", position, result.message()).isEqualTo(1);
        }
    }

    @Test
    void verifierRejectsAValidLookingLineInsertedAnywhere() throws Exception {
        for (int i = 0; i < original.size(); i++) {
            List<String> lines = new ArrayList<>(original);
            // A forged event that is itself well-formed: right seq and prev for its position.
            String forged = original.get(Math.max(i - 1, 0))
                    .replaceFirst("^\\{\"seq\":\\d+", "{\"seq\":" + (i + 1))
                    .replaceFirst("\"prev\":\"[0-9a-f]{64}\"",
                            "\"prev\":\"" + (i == 0 ? "0".repeat(64) : Forger.hashOf(original.get(i - 1))) + "\"");
            lines.add(i, Forger.reseal(forged, null));
            assertTamperedAt(verifyAfter(lines), i + 2);
        }
    }

    @Test
    void verifierRejectsADeletedLineAnywhereButTheLast() throws Exception {
        for (int i = 0; i < original.size() - 1; i++) {
            List<String> lines = new ArrayList<>(original);
            lines.remove(i);
            assertTamperedAt(verifyAfter(lines), i + 1);
        }
    }

    @Test
    void deletingTheLastLineLooksLikeACrashUnlessTheLedgerHasTheFinalHash() throws Exception {
        String finalHash = Forger.hashOf(original.get(original.size() - 1));
        List<String> lines = new ArrayList<>(original);
        lines.remove(lines.size() - 1);
        Forger.write(log, lines);
        assertThat(verify().exitCode()).isEqualTo(3);
        VerificationResult withLedger = LogVerifier.verify(log, AuditKey.none(),
                completed("run-1", finalHash));
        assertTamperedAt(withLedger, original.size() - 1);
        assertThat(withLedger.message()).contains("ledger recorded");
    }

    @Test
    void verifierRejectsADuplicatedLineAnywhere() throws Exception {
        for (int i = 0; i < original.size(); i++) {
            List<String> lines = new ArrayList<>(original);
            lines.add(i + 1, original.get(i));
            assertTamperedAt(verifyAfter(lines), i + 2);
        }
    }

    @Test
    void verifierRejectsSwappedLines() throws Exception {
        for (int i = 0; i + 1 < original.size(); i++) {
            List<String> lines = new ArrayList<>(original);
            lines.set(i, original.get(i + 1));
            lines.set(i + 1, original.get(i));
            assertTamperedAt(verifyAfter(lines), i + 1);
        }
    }

    @Test
    void verifierRejectsALogWithoutItsHead() throws Exception {
        for (int dropped = 1; dropped < original.size(); dropped++) {
            VerificationResult result = verifyAfter(new ArrayList<>(original.subList(dropped, original.size())));
            assertTamperedAt(result, 1);
            assertThat(result.message()).contains("head of the log is missing");
        }
    }

    @Test
    void verifierRejectsACutOutMiddle() throws Exception {
        String text = String.join("\n", original) + "\n";
        int lineStart = 0;
        for (int i = 0; i + 2 < original.size(); i++) {
            int from = lineStart + original.get(i).length() / 2;
            int nextStart = lineStart + original.get(i).length() + 1;
            int to = nextStart + original.get(i + 1).length() + 1 + original.get(i + 2).length() / 3;
            Files.writeString(log, text.substring(0, from) + text.substring(to), StandardCharsets.UTF_8);
            assertTamperedAt(verify(), i + 1);
            lineStart = nextStart;
        }
    }

    @Test
    void recomputedChainFoolsTheUnkeyedVerifierButNotTheLedger() throws Exception {
        // Honest about the threat model: without a key, an attacker who rewrites every hash wins,
        // except that the ledger kept the original final hash.
        String recordedFinalHash = Forger.hashOf(original.get(original.size() - 1));
        for (int i = 0; i < original.size(); i++) {
            List<String> lines = new ArrayList<>(original);
            lines.set(i, lines.get(i).replaceFirst("\"time\":\"2", "\"time\":\"1"));
            Forger.rechain(lines, i, null);
            assertThat(verifyAfter(lines).exitCode()).isZero();
            VerificationResult withLedger = LogVerifier.verify(log, AuditKey.none(), completed("run-1", recordedFinalHash));
            assertTamperedAt(withLedger, original.size());
            assertThat(withLedger.message()).contains("the log was changed after the run ended")
                    .contains("edited and the hash chain recomputed");
        }
    }

    @Test
    void truncationAtAnyByteIsACrashNeverTampering() throws Exception {
        byte[] content = Files.readAllBytes(log);
        for (int length = 1; length < content.length; length += 3) {
            Files.write(log, Arrays.copyOf(content, length));
            VerificationResult result = verify();
            assertThat(result.exitCode()).as("length %d: %s", length, result.message()).isEqualTo(3);
            assertThat(result.message()).startsWith("incomplete (crash)");
        }
    }

    @Test
    void aFileWhoseFirstLineIsNoLogRecordIsNotALogAtAll() throws Exception {
        // what a user may pass by mistake: data files, text, a binary file, each without a record's start or hash
        List<byte[]> notLogs = List.of("id,text\n1,refund please\n".getBytes(StandardCharsets.UTF_8),
                "{\"text\": \"refund please\", \"label\": \"billing\"}\n".getBytes(StandardCharsets.UTF_8),
                "just some text without a newline".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0, 0});
        for (byte[] content : notLogs) {
            Files.write(log, content);
            assertThatThrownBy(() -> LogVerifier.requireAuditLog(log))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(log.toString()).hasMessageContaining("not a dplstm audit log");
        }
    }

    @Test
    void everyEditedOrTruncatedLogIsStillALogForTheVerifierToJudge() throws Exception {
        byte[] content = Files.readAllBytes(log);
        // every byte replaced by each of these, a newline and a NUL among them (a newline splits a record in two)
        byte[] replacements = {'\n', 0, ' ', '"', '{', 'x'};
        for (int position = 0; position < content.length; position++) {
            for (byte replacement : replacements) {
                byte[] edited = content.clone();
                edited[position] = replacement;
                assertThat(bearsMark(edited)).as("byte %d set to %d", position, replacement).isTrue();
            }
            byte[] flipped = content.clone();
            flipped[position] ^= 0x01;
            assertThat(bearsMark(flipped)).as("byte %d flipped", position).isTrue();
        }
        for (int length = 0; length < content.length; length++) {
            assertThat(bearsMark(Arrays.copyOf(content, length))).as("cut to %d bytes", length).isTrue();
        }
        byte[] blankFirstLine = new byte[content.length + 1];
        blankFirstLine[0] = '\n';
        System.arraycopy(content, 0, blankFirstLine, 1, content.length);
        assertThat(bearsMark(blankFirstLine)).as("a blank line prepended").isTrue();
        List<String> lines = Files.readAllLines(log);
        lines.set(0, "id,text");
        assertThat(bearsMark((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)))
                .as("the first record replaced by a CSV header").isTrue();
        Files.write(log, new byte[0]);
        assertThatCode(() -> LogVerifier.requireAuditLog(log)).as("an emptied log").doesNotThrowAnyException();
    }

    private static boolean bearsMark(byte[] content) throws IOException {
        return ChainedLines.anyLineBearsRecordMark(new ByteArrayInputStream(content));
    }

    @Test
    void aLogRecordReplacedByForeignTextAfterTheFirstLineIsTampering() throws Exception {
        for (int i = 1; i < original.size(); i++) {
            List<String> lines = new ArrayList<>(original);
            lines.set(i, "id,text");
            assertTamperedAt(verifyAfter(lines), i + 1);
        }
    }

    @Test
    void tornLastLineIsNamed() throws Exception {
        byte[] content = Files.readAllBytes(log);
        Files.write(log, Arrays.copyOf(content, content.length - 20));
        VerificationResult result = verify();
        assertThat(result.status()).isEqualTo(VerificationResult.Status.INCOMPLETE);
        assertThat(result.badLine()).isEqualTo(11);
        assertThat(result.message()).contains("torn last line");
    }
}
