package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks an option naming an output directory shares ({@code train --out}, {@code demo
 * --write-data}), run before anything is written. A value that cannot be a directory (a dangling
 * link, a path through a file) is bad input; a folder the user may not write is an I/O failure
 * ({@link AccessDeniedException}, exit 5), as every unwritable path.
 */
final class DirectoryOption {

    private DirectoryOption() {}

    /** Bad input when {@code dir} is a symbolic link to nothing; {@code wanted} says what to give instead. */
    static void refuseDanglingLink(String option, Path dir, String wanted) throws IOException {
        if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
            throw new IllegalArgumentException(option + " " + dir + " is a dangling symbolic link to "
                    + Files.readSymbolicLink(dir) + ", which does not exist; " + wanted);
        }
    }

    /** For a {@code dir} that does not exist: fails unless it can be created; creates nothing. */
    static void checkCreatable(String option, Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(option + " cannot be created: " + parent + " is a file, not a directory,"
                    + " was " + dir);
        }
        if (parent == null || !Files.isWritable(parent)) {
            throw new AccessDeniedException(String.valueOf(parent), null, "permission denied (" + option + " " + dir
                    + " cannot be created in it)");
        }
    }
}
