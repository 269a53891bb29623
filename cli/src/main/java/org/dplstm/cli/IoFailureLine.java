package org.dplstm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line for an I/O failure (a full disk, a permission, a missing or dangling path), built from
 * the exception chain: each wrapper's context ("cannot write checkpoint F"), then the path and
 * the reason, e.g. {@code cannot write checkpoint runs/r1/checkpoint.bin: No space left on device}
 * or {@code data/train.jsonl: permission denied}.
 */
final class IoFailureLine {

    private IoFailureLine() {}

    /** Whether the chain holds an I/O failure. */
    static boolean isIoFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /** The line (without the "dplstm: " prefix) for an error whose chain holds an I/O failure. */
    static String of(Throwable error) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof FileSystemException failure) {
                add(parts, pathAndReason(failure));
                break;
            }
            String message = t.getMessage();
            // A wrapper made from its cause alone repeats the cause's toString(): skip it.
            boolean repeatsCause = t.getCause() != null && String.valueOf(message).equals(t.getCause().toString());
            if (message != null && !message.isBlank() && !repeatsCause) {
                add(parts, message.lines().findFirst().orElse(message));
            }
        }
        return parts.isEmpty() ? error.getClass().getSimpleName() : String.join(": ", parts);
    }

    private static void add(List<String> parts, String part) {
        if (parts.stream().noneMatch(p -> p.contains(part))) {
            parts.add(part);
        }
    }

    private static String pathAndReason(FileSystemException failure) {
        String path = failure.getFile();
        String other = failure.getOtherFile();
        return (path == null ? "" : path + (other == null ? "" : " -> " + other) + ": ") + reason(failure);
    }

    private static String reason(FileSystemException failure) {
        String file = failure.getFile();
        if (failure instanceof FileAlreadyExistsException && file != null) {
            Path path = Path.of(file);
            if (Files.isSymbolicLink(path) && !Files.exists(path)) {
                try {
                    return "a dangling symbolic link to " + Files.readSymbolicLink(path) + ", which does not exist";
                } catch (IOException unreadable) {
                    return "a dangling symbolic link";
                }
            }
        }
        if (failure.getReason() != null) {
            return failure.getReason();
        }
        if (failure instanceof AccessDeniedException) {
            return "permission denied";
        } else if (failure instanceof NoSuchFileException) {
            return "no such file or directory";
        } else if (failure instanceof FileAlreadyExistsException) {
            return "already exists";
        } else if (failure instanceof NotDirectoryException) {
            return "not a directory";
        } else if (failure instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return "I/O error";
    }
}
