package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.dplstm.data.files.FileIdentity;

/** Refuses an output path that would replace one of the command's inputs or another output. */
final class OutputPaths {

    private OutputPaths() {}

    /**
     * Fails (bad input) when {@code output} names the same file as {@code other}, through
     * symbolic or hard links included.
     */
    static void requireDistinct(String outputOption, Path output, String otherName, Path other) throws IOException {
        if (FileIdentity.same(output, other)) {
            throw new IllegalArgumentException(outputOption + " must not be the same file as " + otherName + ", was "
                    + output + (output.equals(other) ? "" : " (the same file as " + other + ")"));
        }
    }
}
