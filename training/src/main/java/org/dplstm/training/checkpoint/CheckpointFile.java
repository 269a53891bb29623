package org.dplstm.training.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dplstm.data.files.AtomicFile;

/**
 * One checkpoint in one file, so a single atomic rename publishes all of it: a JSON header
 * (counters, config, privacy history), the model's parameters and the optimizer's state by name,
 * and a SHA-256 trailer over everything before it (a corrupted file is refused, not half-loaded).
 */
public final class CheckpointFile {

    private static final byte[] MAGIC = "DPLSTMCK".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {}

    /** Contents of a checkpoint: arrays keyed by name, and a JSON-able header. */
    public record Contents(
            Map<String, Object> header, Map<String, NDArray> parameters, Map<String, NDArray> optimizerState) {}

    /**
     * A checkpoint written and synced under its temporary name ({@link AtomicFile}), not yet in
     * place: {@link #commit} renames it over the previous one, closing without a commit drops it.
     *
     * @param sha256 the SHA-256 of the file's bytes, hex (for the audit log)
     */
    public record Staged(AtomicFile file, String sha256) implements Closeable {

        public void commit() throws IOException {
            file.commit();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    /** Writes and syncs a checkpoint without replacing the previous one yet. */
    public static Staged stage(Path file, Contents contents) throws IOException {
        MessageDigest fileDigest = sha256();
        AtomicFile staged = AtomicFile.stage(file, raw -> {
            DigestOutputStream hashed = new DigestOutputStream(raw, fileDigest);
            MessageDigest bodyDigest = sha256();
            DataOutputStream out = new DataOutputStream(new DigestOutputStream(hashed, bodyDigest));
            out.write(MAGIC);
            out.writeInt(VERSION);
            writeBlock(out, JSON.writeValueAsBytes(contents.header()));
            writeArrays(out, contents.parameters());
            writeArrays(out, contents.optimizerState());
            out.flush();
            hashed.write(bodyDigest.digest());
            hashed.flush();
        });
        return new Staged(staged, HexFormat.of().formatHex(fileDigest.digest()));
    }

    /** Reads a checkpoint; arrays are created in {@code manager}. */
    @SuppressWarnings("unchecked")
    public static Contents read(Path file, NDManager manager) throws IOException {
        MessageDigest bodyDigest = sha256();
        try (InputStream raw = Files.newInputStream(file)) {
            DigestInputStream digested = new DigestInputStream(new java.io.BufferedInputStream(raw), bodyDigest);
            DataInputStream in = new DataInputStream(digested);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + " is not a dplstm checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": checkpoint version must be " + VERSION + ", was " + version);
            }
            Map<String, Object> header = JSON.readValue(readBlock(in), Map.class);
            Map<String, NDArray> parameters = readArrays(in, manager);
            Map<String, NDArray> optimizerState = readArrays(in, manager);
            digested.on(false);
            byte[] expected = bodyDigest.digest();
            byte[] stored = in.readNBytes(expected.length);
            if (!MessageDigest.isEqual(expected, stored) || in.read() != -1) {
                throw new IOException(file + " is corrupted (checksum mismatch)");
            }
            return new Contents(header, parameters, optimizerState);
        } catch (java.io.EOFException e) {
            throw new IOException(file + " is truncated", e);
        }
    }

    private static void writeArrays(DataOutputStream out, Map<String, NDArray> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (Map.Entry<String, NDArray> entry : arrays.entrySet()) {
            writeBlock(out, entry.getKey().getBytes(StandardCharsets.UTF_8));
            writeBlock(out, entry.getValue().encode());
        }
    }

    private static Map<String, NDArray> readArrays(DataInputStream in, NDManager manager) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("array count must be >= 0, was " + count);
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = new String(readBlock(in), StandardCharsets.UTF_8);
            arrays.put(name, manager.decode(readBlock(in)));
        }
        return arrays;
    }

    private static void writeBlock(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBlock(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("block length must be >= 0, was " + length);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new java.io.EOFException();
        }
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

}
