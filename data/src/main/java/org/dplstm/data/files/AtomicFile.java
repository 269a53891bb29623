package org.dplstm.data.files;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way dplstm writes a file (ARCHITECTURE §6): the bytes go to a temporary file beside the
 * target, {@code .NAME.tmp}, which is fsync'd and renamed over the target (atomic within one
 * directory), and then the directory is fsync'd so that the rename survives a crash. Readers see
 * the old file or the complete new one, never a torn mix.
 *
 * <p>Each target has one temporary name, so a writer killed mid-write leaves at most one hidden
 * file, which the next write of that target reuses. While a temporary file is being written it is
 * locked: a second writer of the same target fails instead of truncating it.
 *
 * <p>{@link #stage} writes and syncs without renaming, so that several outputs of one command can
 * be committed together ({@link #writeAll}) or, when any of them fails, not at all.
 */
public final class AtomicFile implements Closeable {

    /** Produces a file's bytes; it may close the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Path target;
    private final Path temporary;
    private FileChannel channel;
    private FileLock lock;

    private AtomicFile(Path target, Path temporary, FileChannel channel, FileLock lock) {
        this.target = target;
        this.temporary = temporary;
        this.channel = channel;
        this.lock = lock;
    }

    /** Writes {@code content} to {@code target} atomically and durably. */
    public static void write(Path target, Content content) throws IOException {
        try (AtomicFile staged = stage(target, content)) {
            staged.commit();
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code content} to the target's temporary file and syncs it, without touching the
     * target: {@link #commit} publishes it, {@link #close} without a commit deletes it.
     *
     * @throws IllegalArgumentException if the target's folder does not exist, or the target is a
     *     folder, a device, a pipe or a socket
     */
    public static AtomicFile stage(Path target, Content content) throws IOException {
        requireWritableTarget(target);
        Path absolute = target.toAbsolutePath();
        Path temporary = temporaryOf(absolute);
        // Not TRUNCATE_EXISTING: the file is emptied only once this writer holds its lock.
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        AtomicFile staged = null;
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new IOException("another process is writing " + target + " (its temporary file "
                        + temporary + " is locked)");
            }
            staged = new AtomicFile(absolute, temporary, channel, lock);
            channel.truncate(0);
            BufferedOutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            // The content may close its stream: the channel stays open until it is synced.
            content.writeTo(new FilterOutputStream(buffered) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            });
            buffered.flush();
            channel.force(true);
            return staged;
        } catch (IOException | RuntimeException e) {
            if (staged != null) {
                staged.close();
            } else {
                channel.close();
            }
            throw e;
        }
    }

    /**
     * The checks {@link #stage} makes before it writes, for commands that check every output
     * before writing any.
     *
     * @throws IllegalArgumentException if the target's folder does not exist, or the target is a
     *     folder, a device, a pipe or a socket
     * @throws AccessDeniedException if the user may not write the target's folder (an I/O failure,
     *     found before anything is written or printed, not at the rename)
     */
    public static void requireWritableTarget(Path target) throws AccessDeniedException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("output folder must exist, was " + folder + " (for " + target + ")");
        }
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("output must be a file, was a folder: " + target);
        }
        // The rename would replace a device (e.g. /dev/null, for every process when run as root),
        // a pipe or a socket with a regular file: they are never outputs.
        if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException("output must be a regular file, was a device, pipe or socket: " + target);
        }
        if (!Files.isWritable(folder)) {
            throw new AccessDeniedException(folder.toString(), null, "permission denied (" + target
                    + " cannot be written in it)");
        }
    }

    /** One of several files written together: where it goes and what it holds. */
    public record Part(Path target, Content content) {}

    /**
     * Writes several files so that they appear together or not at all: each is staged (written
     * and synced) in order, and only when all are staged are they renamed into place, one after
     * another. If any cannot be written, none replaces its target. A crash between the renames
     * can still leave the first renamed and not the rest; the window is a few renames long.
     */
    public static void writeAll(List<Part> parts) throws IOException {
        List<AtomicFile> staged = new ArrayList<>();
        try {
            for (Part part : parts) {
                staged.add(stage(part.target(), part.content()));
            }
            for (AtomicFile file : staged) {
                file.commit();
            }
        } finally {
            for (AtomicFile file : staged) {
                file.close();
            }
        }
    }

    /**
     * Publishes a temporary file a crashed writer synced but did not rename (e.g. a checkpoint whose
     * hash the audit log already records): renames it over {@code target} and syncs the directory.
     */
    public static void commitLeftover(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        rename(temporaryOf(absolute), absolute);
    }

    /** The one temporary name a target is written under: {@code .NAME.tmp} in the same folder. */
    public static Path temporaryOf(Path target) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
    }

    public Path target() {
        return target;
    }

    /** Renames the synced temporary file over the target and syncs the directory. */
    public void commit() throws IOException {
        if (channel == null) {
            throw new IllegalStateException(target + " was already committed or closed");
        }
        rename(temporary, target);
        release();
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        if (channel == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } finally {
            release();
        }
    }

    private void release() throws IOException {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
            channel = null;
            lock = null;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another thread of this process writes the same target
        }
    }

    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically in " + to.getParent(), e);
        }
        syncDirectory(to.getParent());
    }

    /** Makes a rename or creation in {@code dir} durable (a no-op where directories cannot be opened). */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename is still atomic there.
        }
    }
}
