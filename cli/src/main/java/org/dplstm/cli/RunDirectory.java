package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks and creates a run's output directory: it must be new or empty, and writable. */
final class RunDirectory {

    private RunDirectory() {}

    /**
     * Fails unless {@code dir} can be created, or exists empty and writable; creates nothing. A
     * wrong value (a file, a non-empty directory, a path through a file) is bad input; a
     * directory the user may not write is an I/O failure ({@link AccessDeniedException}, exit 5).
     */
    static void checkUsable(Path dir) throws IOException {
        DirectoryOption.refuseDanglingLink("--out", dir, "give a new or empty directory");
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--out must be a new or empty directory, was a file: " + dir);
            }
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out must be a new or empty directory, was not empty: " + dir);
                }
            }
            if (!Files.isWritable(dir)) {
                // a permission, not the value given: an I/O failure (exit 5), as every unwritable path
                throw new AccessDeniedException(dir.toString(), null, "permission denied (--out must be a directory you can write)");
            }
            return;
        }
        DirectoryOption.checkCreatable("--out", dir);
    }
}
