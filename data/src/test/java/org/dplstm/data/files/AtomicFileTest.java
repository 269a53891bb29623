package org.dplstm.data.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteReplacesTheTargetAndLeavesNothingElse() throws IOException {
        Path target = dir.resolve("out.csv");
        AtomicFile.writeString(target, "old");
        AtomicFile.writeString(target, "new");
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(names()).containsExactly("out.csv");
    }

    @Test
    void aKilledWritersTemporaryFileIsReusedNotLeftBehind() throws IOException {
        Path target = dir.resolve("out.csv");
        // What a writer killed mid-write leaves: its temporary file, half written.
        Files.writeString(AtomicFile.temporaryOf(target), "half a fi");
        assertThat(AtomicFile.temporaryOf(target).getFileName().toString()).isEqualTo(".out.csv.tmp");
        AtomicFile.writeString(target, "whole");
        assertThat(Files.readString(target)).isEqualTo("whole");
        assertThat(names()).containsExactly("out.csv");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("out.csv");
        AtomicFile.writeString(target, "old");
        assertThatThrownBy(() -> AtomicFile.write(target, out -> {
            out.write("partial".getBytes());
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(names()).containsExactly("out.csv");
    }

    @Test
    void stagedFilesAppearOnlyWhenCommittedAndVanishWhenNot() throws IOException {
        Path first = dir.resolve("a.csv");
        Path second = dir.resolve("b.json");
        AtomicFile.writeString(first, "old a");
        try (AtomicFile a = AtomicFile.stage(first, out -> out.write("new a".getBytes()))) {
            assertThat(Files.readString(first)).isEqualTo("old a");
            assertThatThrownBy(() -> AtomicFile.stage(second, out -> {
                throw new IOException("cannot write the report");
            })).isInstanceOf(IOException.class);
            // a is never committed: closing it discards it
        }
        assertThat(Files.readString(first)).isEqualTo("old a");
        assertThat(names()).containsExactly("a.csv");

        assertThatThrownBy(() -> AtomicFile.writeAll(List.of(new AtomicFile.Part(first, out -> out.write("new a".getBytes())),
                new AtomicFile.Part(second, out -> {
                    throw new IOException("No space left on device");
                })))).hasMessage("No space left on device");
        assertThat(Files.readString(first)).isEqualTo("old a");
        assertThat(names()).containsExactly("a.csv");

        AtomicFile.writeAll(List.of(new AtomicFile.Part(first, out -> out.write("new a".getBytes())),
                new AtomicFile.Part(second, out -> out.write("b".getBytes()))));
        assertThat(Files.readString(first)).isEqualTo("new a");
        assertThat(Files.readString(second)).isEqualTo("b");
        assertThat(names()).containsExactly("a.csv", "b.json");
    }

    @Test
    void aSecondWriterOfTheSameTargetFailsWithoutTruncatingTheFirst() throws IOException {
        Path target = dir.resolve("out.csv");
        Path temporary = AtomicFile.temporaryOf(target);
        Files.writeString(temporary, "being written");
        try (FileChannel other = FileChannel.open(temporary, StandardOpenOption.WRITE);
                FileLock held = other.lock()) {
            assertThatThrownBy(() -> AtomicFile.writeString(target, "second"))
                    .isInstanceOf(IOException.class).hasMessageContaining("another process is writing");
            assertThat(Files.readString(temporary)).isEqualTo("being written");
        }
        assertThat(target).doesNotExist();
    }

    @Test
    void aMissingFolderOrAFolderTargetIsBadInput() {
        assertThatThrownBy(() -> AtomicFile.writeString(dir.resolve("no/such.csv"), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output folder must exist");
        assertThatThrownBy(() -> AtomicFile.writeString(dir, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output must be a file");
    }

    /**
     * A device, pipe or socket named as an output is not replaced by a regular file (renaming
     * over {@code /dev/null} as root would take it away from every process on the machine).
     */
    @Test
    void aSpecialFileIsRefusedAndKeptAsItIs() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        Path linkToFifo = dir.resolve("link");
        Files.createSymbolicLink(linkToFifo, fifo);
        for (Path target : List.of(fifo, linkToFifo)) {
            assertThatThrownBy(() -> AtomicFile.writeString(target, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("output must be a regular file, was a device, pipe or socket: " + target);
            assertThatThrownBy(() -> AtomicFile.requireWritableTarget(target))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Files.readAttributes(fifo, BasicFileAttributes.class).isOther()).as("still a pipe").isTrue();
        assertThat(Files.isSymbolicLink(linkToFifo)).isTrue();
        assertThat(names()).containsExactly("link", "pipe");
    }
}
