package org.dplstm.audit.run;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run directory's writer lock, {@value RunFiles#LOCK} (ARCHITECTURE §6). A new run claims its
 * directory by creating the lock file exclusively ({@code CREATE_NEW}) before it writes anything
 * else, so of two runs given the same directory exactly one proceeds and the other touches
 * nothing. The lock is held while the run writes; the verifier reads a held lock as "still
 * running" and a free one as "crashed". A resume takes the lock of an existing run.
 */
public final class RunLock implements Closeable {

    private final RunFiles files;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean createdDirectory;

    private RunLock(RunFiles files, FileChannel channel, FileLock lock, boolean createdDirectory) {
        this.files = files;
        this.channel = channel;
        this.lock = lock;
        this.createdDirectory = createdDirectory;
    }

    /**
     * Claims {@code dir} for a new run: creates it (and its parents) if missing, then creates the
     * lock file exclusively and locks it. Nothing else is written.
     *
     * @throws IllegalArgumentException if {@code dir} is a file, holds anything, or another run
     *     claimed it first
     */
    public static RunLock claimNew(Path dir) throws IOException {
        boolean created = false;
        if (!Files.exists(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir);
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // another run created it a moment ago: the lock file decides who has it
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("output directory must be a new or empty directory, was a file: " + dir);
        }
        RunFiles files = RunFiles.of(dir);
        FileChannel channel;
        try {
            channel = FileChannel.open(files.lock(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException taken) {
            throw new IllegalArgumentException("output directory " + dir + " is already taken by another run ("
                    + RunFiles.LOCK + " exists); give a new or empty directory");
        }
        RunLock claim = new RunLock(files, channel, channel.lock(), created);
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> others = entries.filter(e -> !e.getFileName().toString().equals(RunFiles.LOCK)).toList();
            if (!others.isEmpty()) {
                claim.discard(List.of());
                throw new IllegalArgumentException("output directory must be a new or empty directory, was not empty: "
                        + dir + " (holds " + others.get(0).getFileName() + ")");
            }
        }
        return claim;
    }

    /**
     * Takes the lock of an existing run directory (to continue the run).
     *
     * @throws IllegalArgumentException if a writer holds it (the run is still going)
     */
    public static RunLock acquire(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("run directory must exist, was " + dir);
        }
        RunFiles files = RunFiles.of(dir);
        FileChannel channel = FileChannel.open(files.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalArgumentException("run directory " + dir + " is in use by another writer (" + files.lock()
                    + " is held); is the run still training?");
        }
        return new RunLock(files, channel, lock, false);
    }

    /** True when a process (this one included) holds the lock of {@code dir}. */
    public static boolean isHeld(Path dir) throws IOException {
        Path lockFile = RunFiles.of(dir).lock();
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ)) {
            FileLock shared = channel.tryLock(0, Long.MAX_VALUE, true);
            if (shared == null) {
                return true;
            }
            shared.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    public RunFiles files() {
        return files;
    }

    /**
     * Undoes a new run refused after its claim, so that it leaves nothing behind: deletes the
     * files it {@code wrote}, the lock file, and the directory if the claim created it; releases
     * the lock.
     */
    public void discard(List<Path> wrote) throws IOException {
        try {
            for (Path file : wrote) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(files.lock());
            if (createdDirectory) {
                try {
                    Files.deleteIfExists(files.dir());
                } catch (DirectoryNotEmptyException e) {
                    // someone else's file appeared in it: it is theirs to keep
                }
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}
