package org.dplstm.training.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;

/**
 * A run's audit trail as tests set it up and read it back: a key file for a keyed log, the log's
 * events, and the SHA-256 digests it records of the run's files.
 */
public final class AuditTrails {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditTrails() {}

    /** Writes a fixed 32-character HMAC key to {@code dir/secret/audit.key}. */
    public static Path keyFile(Path dir) throws IOException {
        Path key = dir.resolve("secret").resolve("audit.key");
        Files.createDirectories(key.getParent());
        Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        return key;
    }

    /** Every event of {@code runDir}'s audit log, in order (the log must be whole: no torn line). */
    public static List<JsonNode> events(Path runDir) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(RunFiles.of(runDir).log())) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    /**
     * The reference for a run's RDP ε: the logged vocabulary cost, then the DP-SGD steps,
     * composed by a fresh accountant (independent of the trainer's own accounting).
     */
    public static double rdpEpsilonOf(List<PrivacyEvent> vocabularyCost, PrivacyEvent steps, double delta) {
        PrivacyAccountant accountant = Accountants.newAccountant(AccountantKind.RDP);
        vocabularyCost.forEach(accountant::compose);
        accountant.compose(steps);
        return accountant.epsilon(delta);
    }

    /**
     * The reference for run_start's dataset fingerprint: SHA-256 of the file's length (8 bytes,
     * big-endian) followed by its bytes, lower-case hex.
     */
    public static String framedSha256(Path file) throws IOException, NoSuchAlgorithmException {
        byte[] raw = Files.readAllBytes(file);
        MessageDigest framed = MessageDigest.getInstance("SHA-256");
        framed.update(ByteBuffer.allocate(8).putLong(raw.length).array());
        framed.update(raw);
        return HexFormat.of().formatHex(framed.digest());
    }

    /** The run's audit log holds none of {@code secrets} and no per-batch training figures. */
    public static void assertLogHoldsNoText(Path runDir, List<String> secrets) throws IOException {
        String log = Files.readString(RunFiles.of(runDir).log());
        for (String secret : secrets) {
            assertThat(log).as("raw text in the log").doesNotContain(secret);
        }
        assertThat(log).doesNotContain("train_loss").doesNotContain("train_accuracy");
    }

    /** Lower-case hex SHA-256 of {@code bytes}, as the log records a file's hash. */
    public static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
