package org.dplstm.data.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A Parquet input as Spark reads it: one {@code .parquet} file, or a folder whose non-hidden files
 * (names not starting with '.' or '_', in any sub-folder not starting so) are the part files. The
 * dataset fingerprint hashes those files in a defined order: by path relative to the folder, '/'
 * separated, compared as strings.
 */
public final class ParquetInput {

    private ParquetInput() {}

    /** Whether {@code input} is a Parquet file, or a folder holding at least one {@code .parquet} part file. */
    public static boolean isParquet(Path input) {
        if (Files.isRegularFile(input)) {
            return isParquetName(input);
        }
        return Files.isDirectory(input) && dataFiles(input).stream().anyMatch(ParquetInput::isParquetName);
    }

    /** The files Spark reads for {@code input}, in the fingerprint's order. */
    public static List<Path> dataFiles(Path input) {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        try (Stream<Path> files = Files.walk(input)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> visible(input.relativize(file)))
                    .sorted(Comparator.comparing(file -> relativeName(input, file)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + input, e);
        }
    }

    private static boolean isParquetName(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    private static boolean visible(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    private static String relativeName(Path folder, Path file) {
        return folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
