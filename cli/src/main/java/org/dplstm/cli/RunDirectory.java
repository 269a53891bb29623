package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks and creates a run's output directory: it must be new or empty, and writable. */
final class RunDirectory {

    private RunDirectory() {}

    /** Fails (bad input) unless {@code dir} can be created, or exists empty and writable; creates nothing. */
    static void checkUsable(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
            throw new IllegalArgumentException("--out " + dir + " is a dangling symbolic link to "
                    + Files.readSymbolicLink(dir) + ", which does not exist; give a new or empty directory");
        }
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
                throw new IllegalArgumentException("--out directory is not writable: " + dir);
            }
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new IllegalArgumentException("--out cannot be created (parent not writable): " + dir);
        }
    }
}
