package org.dplstm.audit.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.audit.log.LineHasher;
import org.dplstm.audit.run.RunFiles;

/**
 * A run directory's artefacts as its audit log binds them (ARCHITECTURE §6): each file by its name
 * in the directory (never an absolute path, so a moved or copied directory still verifies) and
 * its SHA-256, in run_end (everything training wrote) and in each checkpoint event (what a resume
 * reads). A file that differs from its record is an edit or a swap.
 */
public final class RunArtefacts {

    /** The event field holding the name → SHA-256 map. */
    public static final String FILES = "files";

    private static final int SHOWN_HEX = 12;

    private RunArtefacts() {}

    /** SHA-256 of each of {@code names} that exists in {@code dir}, in that order. */
    public static Map<String, String> hash(Path dir, List<String> names) throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String name : names) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                hashes.put(name, DatasetFingerprint.sha256Of(file));
            }
        }
        return hashes;
    }

    /**
     * The files an event binds: its {@value #FILES} map; for a run_end written before runs bound
     * their artefacts, the model by {@code model_sha256}.
     */
    public static Map<String, String> recordedBy(JsonNode event) {
        Map<String, String> recorded = new LinkedHashMap<>();
        JsonNode files = event.get(FILES);
        if (files != null && files.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> file = it.next();
                recorded.put(file.getKey(), file.getValue().asText());
            }
        } else if (event.path("model_sha256").isTextual()) {
            recorded.put(RunFiles.MODEL, event.get("model_sha256").asText());
        }
        return recorded;
    }

    /**
     * One sentence for each recorded file of {@code dir} that is missing or differs from its
     * record, naming the file (empty when every file matches).
     */
    public static List<String> mismatches(Path dir, Map<String, String> recorded) throws IOException {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String> entry : recorded.entrySet()) {
            String name = entry.getKey();
            if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
                mismatches.add("the log names '" + name + "', which is not a file of the run directory");
                continue;
            }
            Path file = dir.resolve(name);
            if (!Files.isRegularFile(file)) {
                mismatches.add(file + " is missing (the log records sha256 " + shown(entry.getValue()) + ")");
                continue;
            }
            String actual = DatasetFingerprint.sha256Of(file);
            if (!actual.equals(entry.getValue())) {
                mismatches.add(file + " does not match the log: it records sha256 " + shown(entry.getValue())
                        + ", the file has " + shown(actual));
            }
        }
        return mismatches;
    }

    /**
     * Refuses (bad input, one line naming the run) to load anything from {@code runDir} unless its
     * audit log verifies with {@code key}, ends with run_end, and binds exactly the files present:
     * what every command that loads a model checks first.
     */
    public static void requireBound(Path runDir, AuditKey key) throws IOException {
        Path log = RunFiles.of(runDir).log();
        if (!Files.isRegularFile(log)) {
            throw new IllegalArgumentException("refusing to load " + runDir + ": it has no audit log ("
                    + RunFiles.AUDIT_LOG + "), so its model cannot be checked against one");
        }
        VerificationResult result = LogVerifier.verify(log, key, LedgerLookup.none());
        switch (result.status()) {
            case INTACT -> { }
            case KEY_REQUIRED -> throw new IllegalArgumentException("refusing to load " + runDir
                    + ": its audit log is HMAC-keyed; give --key-file F (or set " + AuditKey.ENVIRONMENT_VARIABLE
                    + ") to check its model against it");
            case TAMPERED -> throw new IllegalArgumentException("refusing to load " + runDir + ": " + result.message());
            default -> throw new IllegalArgumentException("refusing to load " + runDir + ": its run has not finished ("
                    + result.message() + ")");
        }
    }

    /** Whether {@code runDir}'s audit log is HMAC-keyed (by its first line; false without a log). */
    public static boolean logIsKeyed(Path runDir) throws IOException {
        Path log = RunFiles.of(runDir).log();
        if (!Files.isRegularFile(log)) {
            return false;
        }
        try (BufferedReader reader = Files.newBufferedReader(log)) {
            String first = reader.readLine();
            return first != null && first.contains("\"alg\":\"" + LineHasher.HMAC_SHA_256 + "\"");
        }
    }

    private static String shown(String sha256) {
        return sha256.length() > SHOWN_HEX ? sha256.substring(0, SHOWN_HEX) + "…" : sha256;
    }
}
