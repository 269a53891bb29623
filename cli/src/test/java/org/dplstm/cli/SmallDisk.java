package org.dplstm.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A tiny tmpfs mounted on a test's folder, to run out of space for real (no mocked I/O). Mounting
 * needs root: {@link #mount} is empty otherwise, and the test is skipped with a message.
 */
final class SmallDisk implements AutoCloseable {

    static final String SKIPPED = "mounting a small tmpfs needs root; disk-full test skipped";

    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** A tmpfs of {@code kilobytes} on {@code mountPoint} (created), or empty when it cannot be mounted. */
    static Optional<SmallDisk> mount(Path mountPoint, int kilobytes) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        Files.createDirectories(mountPoint);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + kilobytes + "k", "tmpfs",
                mountPoint.toString()).redirectErrorStream(true).start();
        boolean done = mount.waitFor(30, TimeUnit.SECONDS);
        return done && mount.exitValue() == 0 ? Optional.of(new SmallDisk(mountPoint)) : Optional.empty();
    }

    Path path() {
        return mountPoint;
    }

    /** Writes a filler file until the disk is full. */
    void fill() throws IOException {
        byte[] block = new byte[1024];
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve("filler"))) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    /** Removes the filler, so that writes succeed again. */
    void free() throws IOException {
        Files.deleteIfExists(mountPoint.resolve("filler"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
}
