package org.dplstm.audit.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether a run directory's files can be looked up at all. Without search permission on the
 * directory (or on a folder above it) every file in it looks missing, and a reader would call it
 * "not a run directory": bad input where the user's permissions are the problem (an I/O failure).
 */
public final class RunDirectoryAccess {

    private RunDirectoryAccess() {}

    /**
     * Throws {@link AccessDeniedException} naming {@code dir} when it, or its files, cannot be
     * reached for lack of permission; otherwise returns, also when {@code dir} is missing or not a
     * directory (the caller's own check says what it expected).
     */
    public static void requireReachable(Path dir) throws AccessDeniedException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dir, BasicFileAttributes.class);
        } catch (AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            return; // missing, or a path through a file: not a permission
        }
        if (attributes.isDirectory() && !Files.isExecutable(dir)) {
            throw new AccessDeniedException(dir.toString(), null, "permission denied (its files cannot be looked up)");
        }
    }
}
