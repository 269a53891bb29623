package org.dplstm.audit.verify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What an attacker with write access does: edits lines and recomputes hashes, written here from
 * the documented canonical form (line minus its final hash member), not from the library's code.
 */
final class Forger {

    private Forger() {}

    static List<String> lines(Path log) throws Exception {
        return new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    }

    static void write(Path log, List<String> lines) throws Exception {
        Files.writeString(log, lines.isEmpty() ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    static String hashOf(String line) {
        return line.replaceAll("^.*,\"hash\":\"([0-9a-f]{64})\"}$", "$1");
    }

    /** Recomputes a line's hash (SHA-256 when key is null, else HMAC-SHA-256) after an edit. */
    static String reseal(String line, byte[] key) throws Exception {
        String canonical = line.replaceAll(",\"hash\":\"[0-9a-f]{64}\"}$", "}");
        byte[] bytes = canonical.getBytes(StandardCharsets.UTF_8);
        byte[] hash;
        if (key == null) {
            hash = MessageDigest.getInstance("SHA-256").digest(bytes);
        } else {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            hash = mac.doFinal(bytes);
        }
        return canonical.substring(0, canonical.length() - 1) + ",\"hash\":\"" + HexFormat.of().formatHex(hash) + "\"}";
    }

    /** Sets seq and prev of lines from {@code from} (0-based) on and reseals them: a full forgery. */
    static void rechain(List<String> lines, int from, byte[] key) throws Exception {
        for (int i = from; i < lines.size(); i++) {
            String prev = i == 0 ? "0".repeat(64) : hashOf(lines.get(i - 1));
            String line = lines.get(i)
                    .replaceFirst("^\\{\"seq\":\\d+", "{\"seq\":" + (i + 1))
                    .replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"");
            lines.set(i, reseal(line, key));
        }
    }
}
