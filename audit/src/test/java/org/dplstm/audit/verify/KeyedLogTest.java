package org.dplstm.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.SampleRun;
import org.dplstm.audit.run.RunFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With an HMAC key kept outside the run directory, a recomputed chain no longer passes. */
class KeyedLogTest {

    @TempDir Path dir;
    Path runDir;
    Path keyFile;
    byte[] key;
    AuditKey auditKey;
    List<String> original;

    @BeforeEach
    void writeKeyedLog() throws Exception {
        runDir = dir.resolve("run");
        keyFile = dir.resolve("secret.key");
        key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.write(keyFile, key);
        auditKey = AuditKey.fromFile(keyFile);
        SampleRun.write(runDir, auditKey);
        original = Forger.lines(RunFiles.of(runDir).log());
    }

    private VerificationResult verify(AuditKey withKey) throws Exception {
        return LogVerifier.verify(RunFiles.of(runDir).log(), withKey, LedgerLookup.none());
    }

    @Test
    void keyedLogVerifiesWithItsKeyOnly() throws Exception {
        assertThat(verify(auditKey).exitCode()).isZero();
        assertThat(verify(AuditKey.none()).status()).isEqualTo(VerificationResult.Status.KEY_REQUIRED);
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        Path other = dir.resolve("other.key");
        Files.write(other, otherKey);
        VerificationResult wrongKey = verify(AuditKey.fromFile(other));
        assertThat(wrongKey.exitCode()).isEqualTo(1);
        assertThat(wrongKey.badLine()).isEqualTo(1);
    }

    @Test
    void recomputedChainWithoutTheKeyIsCaughtAtTheEditedLine() throws Exception {
        for (int i = 0; i < original.size(); i++) {
            List<String> lines = new ArrayList<>(original);
            lines.set(i, lines.get(i).replaceFirst("\"time\":\"2", "\"time\":\"1"));
            byte[] guessedKey = new byte[32];
            Forger.rechain(lines, i, guessedKey);
            Forger.write(RunFiles.of(runDir).log(), lines);
            VerificationResult result = verify(auditKey);
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.badLine()).isEqualTo(i + 1);
        }
    }

    @Test
    void downgradeToAnUnkeyedChainIsCaughtWhenTheKeyIsGiven() throws Exception {
        List<String> lines = new ArrayList<>(original);
        lines.replaceAll(line -> line.replace("\"alg\":\"hmac-sha256\"", "\"alg\":\"sha256\""));
        Forger.rechain(lines, 0, null);
        Forger.write(RunFiles.of(runDir).log(), lines);
        assertThat(verify(AuditKey.none()).exitCode()).isZero();
        VerificationResult result = verify(auditKey);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.badLine()).isEqualTo(1);
        assertThat(result.message()).contains("unkeyed");
    }

    @Test
    void recomputedChainWithTheKeyPassesWhichIsWhyTheKeyStaysOutsideTheRunDirectory() throws Exception {
        List<String> lines = new ArrayList<>(original);
        lines.set(3, lines.get(3).replaceFirst("\"time\":\"2", "\"time\":\"1"));
        Forger.rechain(lines, 3, key);
        Forger.write(RunFiles.of(runDir).log(), lines);
        assertThat(verify(auditKey).exitCode()).isZero();
    }
}
