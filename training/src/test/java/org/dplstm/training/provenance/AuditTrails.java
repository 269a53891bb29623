package org.dplstm.training.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.dplstm.audit.log.AuditLog;

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
        for (String line : Files.readAllLines(AuditLog.logFile(runDir))) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    /** Lower-case hex SHA-256 of {@code bytes}, as the log records a file's hash. */
    public static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
