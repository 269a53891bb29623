package org.dplstm.data.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whether two paths name the same file on disk: through symbolic links (followed, also from a
 * path that does not exist yet, e.g. a dangling link or a new name in a linked folder) and hard
 * links (compared by file identity, not by name). What commands use to refuse an output that is
 * one of their inputs or another output.
 */
public final class FileIdentity {

    /** Links followed before a path is taken as it is (a cycle, or a very long chain). */
    private static final int MAX_LINKS = 40;

    private FileIdentity() {}

    /** True when {@code a} and {@code b} name the same file, existing or about to be created. */
    public static boolean same(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return real(a).equals(real(b));
    }

    /** True when {@code path} is {@code dir} or lies anywhere below it (after following links). */
    public static boolean inside(Path path, Path dir) throws IOException {
        return real(path).startsWith(real(dir));
    }

    /**
     * The absolute path {@code path} resolves to with every symbolic link followed, also when
     * it (or a link it ends in) does not exist: its nearest existing ancestor is made real and the
     * rest appended.
     */
    public static Path real(Path path) throws IOException {
        Path current = path.toAbsolutePath().normalize();
        for (int links = 0; links < MAX_LINKS && Files.isSymbolicLink(current); links++) {
            Path target = Files.readSymbolicLink(current);
            current = current.resolveSibling(target).normalize();
        }
        if (Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
            return current.toRealPath();
        }
        Path parent = current.getParent();
        return parent == null ? current : real(parent).resolve(current.getFileName());
    }
}
