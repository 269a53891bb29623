package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sanitize} writes: never over its input or one output over the other (links
 * followed), the output and the report together or not at all, and no hidden temporary file
 * left for good by a killed run.
 */
class SanitizeOutputsTest {

    private static final String INPUT = "id,text\n1,mail jane@example.com\n2,call me\n";

    @TempDir Path dir;

    private Path input() throws IOException {
        return Files.writeString(dir.resolve("p.csv"), INPUT);
    }

    private List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertRefused(String message, String... args) {
        CliRunner.Result run = CliRunner.run(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().trim()).startsWith("dplstm: ").contains(message).doesNotContain("\n");
    }

    @Test
    void anOutputThatIsAnInputOrTheOtherOutputIsRefusedThroughAnyLink() throws IOException {
        Path in = input();
        String i = in.toString();
        String out = dir.resolve("o.csv").toString();
        assertRefused("--report must not be the same file as --input",
                "sanitize", "--input", i, "--output", out, "--report", i);
        Path symlink = Files.createSymbolicLink(dir.resolve("link.json"), in);
        assertRefused("--report must not be the same file as --input",
                "sanitize", "--input", i, "--output", out, "--report", symlink.toString());
        Path hardLink = Files.createLink(dir.resolve("hard.csv"), in);
        assertRefused("--output must not be the same file as --input",
                "sanitize", "--input", i, "--output", hardLink.toString());
        Path folderLink = Files.createSymbolicLink(dir.resolve("same-folder"), dir);
        assertRefused("--output must not be the same file as --input",
                "sanitize", "--input", i, "--output", folderLink.resolve("p.csv").toString());
        Path toNewFile = Files.createSymbolicLink(dir.resolve("dangling.csv"), dir.resolve("o.csv"));
        assertRefused("--report must not be the same file as --output",
                "sanitize", "--input", i, "--output", out, "--report", toNewFile.toString());
        assertThat(Files.readString(in)).isEqualTo(INPUT);
        assertThat(names(dir)).containsExactly("dangling.csv", "hard.csv", "link.json", "p.csv", "same-folder");
    }

    @Test
    void whenTheReportCannotBeWrittenTheOldOutputStays() throws Exception {
        Path in = input();
        Path out = Files.writeString(dir.resolve("o.csv"), "previous output\n");
        Optional<SmallDisk> disk = SmallDisk.mount(dir.resolve("small"), 64);
        assumeTrue(disk.isPresent(), SmallDisk.SKIPPED);
        try (SmallDisk small = disk.get()) {
            small.fill();
            CliRunner.Result run = CliRunner.run("sanitize", "--input", in.toString(), "--output", out.toString(),
                    "--report", small.path().resolve("report.json").toString());
            assertThat(run.exitCode()).as(run.err()).isNotZero();
            assertThat(Files.readString(out)).isEqualTo("previous output\n");
            assertThat(names(dir)).containsExactly("o.csv", "p.csv", "small");
            assertThat(names(small.path())).containsExactly("filler");

            small.free();
            CliRunner.Result retried = CliRunner.run("sanitize", "--input", in.toString(), "--output", out.toString(),
                    "--report", small.path().resolve("report.json").toString());
            assertThat(retried.exitCode()).as(retried.err()).isZero();
            assertThat(Files.readString(out)).contains("[EMAIL]");
            assertThat(small.path().resolve("report.json")).exists();
        }
    }

    @Test
    void aKilledRunLeavesNoHiddenFileBehindOnceTheOutputIsWrittenAgain() throws Exception {
        Path big = dir.resolve("big.csv");
        try (Writer writer = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            writer.write("id,text\n");
            for (int i = 0; i < 400_000; i++) {
                writer.write(i + ",ticket " + i + " from user" + i + "@example.com about invoice " + i + "\n");
            }
        }
        Path out = dir.resolve("o.csv");
        Process sanitize = CliProcess.start(dir.resolve("log.txt"), "sanitize", "--input", big.toString(),
                "--output", out.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sanitize.isAlive() && names(dir).stream().noneMatch(n -> n.startsWith(".")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        sanitize.destroyForcibly(); // SIGKILL mid-write: no cleanup runs
        assertThat(sanitize.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sanitize.exitValue()).as("killed while writing").isEqualTo(137);
        assertThat(out).doesNotExist();

        CliRunner.Result again = CliRunner.run("sanitize", "--input", input().toString(), "--output", out.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(names(dir)).containsExactly("big.csv", "log.txt", "o.csv", "p.csv");
    }
}
