package org.dplstm.data.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An output file that appears whole or not at all: bytes go to a temporary file in the target's
 * folder, which {@link #commit()} syncs and renames over the target. Closing without committing
 * deletes the temporary file and leaves any existing target untouched.
 */
public final class AtomicOutputFile implements Closeable {
    private final Path target;
    private final Path temporary;
    private final OutputStream stream;
    private boolean committed;

    public AtomicOutputFile(Path target) throws IOException {
        this.target = target.toAbsolutePath();
        Path folder = this.target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("output folder does not exist: " + folder);
        }
        if (Files.isDirectory(this.target)) {
            throw new IllegalArgumentException("output is a folder, not a file: " + target);
        }
        this.temporary = Files.createTempFile(folder, "." + this.target.getFileName() + ".", ".tmp");
        this.stream = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16);
    }

    /** The stream to write to; do not close it yourself (commit or close this file instead). */
    public OutputStream stream() {
        return new java.io.FilterOutputStream(stream) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /** Flushes, syncs to disk, and renames the temporary file over the target. */
    public void commit() throws IOException {
        stream.close();
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
        committed = true;
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        try (AtomicOutputFile file = new AtomicOutputFile(target)) {
            file.stream().write(bytes);
            file.commit();
        }
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                stream.close();
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
