package org.dplstm.audit.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The optional HMAC key of an audit log. It is read from a file (never given on the command
 * line, where it would show in process listings and shell history) and should live outside the
 * run directory: whoever can read it can forge the log.
 */
public final class AuditKey {

    /** Environment variable naming the key file when no {@code --key-file} is given. */
    public static final String ENVIRONMENT_VARIABLE = "DPLSTM_AUDIT_KEY_FILE";
    /** Shorter keys make HMAC guessable; 32 random bytes match SHA-256's strength. */
    public static final int MIN_KEY_BYTES = 16;

    private final byte[] key;
    private final Path source;
    private final String exposure;

    private AuditKey(byte[] key, Path source, String exposure) {
        this.key = key;
        this.source = source;
        this.exposure = exposure;
    }

    /** No key: lines are chained with plain SHA-256. */
    public static AuditKey none() {
        return new AuditKey(null, null, null);
    }

    /** The key is the file's bytes as they are (e.g. {@code head -c 32 /dev/urandom > key}). */
    public static AuditKey fromFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("key file must be a readable file, was " + file);
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "key file must hold at least " + MIN_KEY_BYTES + " bytes, was " + bytes.length
                            + " bytes in " + file);
        }
        return new AuditKey(bytes, file, exposureOf(file));
    }

    /** Who besides the owner may read the file ("its group", "others", or both), or null. */
    private static String exposureOf(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return null;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        boolean group = permissions.contains(PosixFilePermission.GROUP_READ);
        boolean others = permissions.contains(PosixFilePermission.OTHERS_READ);
        if (!group && !others) {
            return null;
        }
        return "readable by " + (group && others ? "its group and others" : group ? "its group" : "others")
                + " (" + PosixFilePermissions.toString(permissions) + ")";
    }

    /**
     * {@code keyFile} when given, else the file named by {@value #ENVIRONMENT_VARIABLE} in
     * {@code environment}, else no key.
     */
    public static AuditKey resolve(Optional<Path> keyFile, Map<String, String> environment)
            throws IOException {
        if (keyFile.isPresent()) {
            return fromFile(keyFile.get());
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromFile(Path.of(fromEnvironment));
        }
        return none();
    }

    /** {@link #resolve(Optional, Map)} against this process's environment. */
    public static AuditKey resolve(Optional<Path> keyFile) throws IOException {
        return resolve(keyFile, System.getenv());
    }

    public boolean present() {
        return key != null;
    }

    /**
     * A warning when the key file can be read by more than its owner (e.g. {@code "key file K is
     * readable by its group and others (rw-r--r--): ..."}): whoever can read it can forge the log.
     * The key is still used: callers warn (the command line prints one line) rather than refuse.
     */
    public Optional<String> exposureWarning() {
        return exposure == null ? Optional.empty() : Optional.of("key file " + source + " is " + exposure
                + ": whoever can read it can forge audit logs; chmod 600 it");
    }

    /** Where the key came from, for messages (never the key itself). */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    /** A fresh hasher for this key: HMAC-SHA-256 when present, SHA-256 otherwise. */
    public LineHasher newHasher() {
        return key != null ? LineHasher.hmacSha256(key) : LineHasher.sha256();
    }
}
