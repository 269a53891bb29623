package org.dplstm.audit.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * Identifies a dataset by the SHA-256 of its raw input files, read before any sanitization or
 * sampling, streamed (files of any size). Several files are hashed in the order given, each
 * framed by its length so that moving bytes from one file to the next changes the fingerprint.
 * For a single file the fingerprint is not the plain {@code sha256sum} of it (the frame is
 * included): use {@link #of} to recompute it.
 */
public final class DatasetFingerprint {

    private static final int BUFFER_BYTES = 1 << 16;

    private DatasetFingerprint() {}

    /** Lower-case hex fingerprint of {@code files} in this order. */
    public static String of(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("dataset files must not be empty");
        }
        MessageDigest digest = LineHasher.newSha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("dataset file must be a readable file, was " + file);
            }
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(Files.size(file)).array());
            try (InputStream in = Files.newInputStream(file)) {
                int read;
                while ((read = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, read);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The fingerprint {@link #of} would give files holding {@code contents} (for data generated in
     * memory, such as the demo's synthetic tickets serialised as JSONL).
     */
    public static String ofContents(List<byte[]> contents) {
        if (contents.isEmpty()) {
            throw new IllegalArgumentException("dataset contents must not be empty");
        }
        MessageDigest digest = LineHasher.newSha256();
        for (byte[] content : contents) {
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(content.length).array());
            digest.update(content);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Lower-case hex SHA-256 of one file's bytes (checkpoints, models), streamed. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest digest = LineHasher.newSha256();
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
