package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures a user meets (a full disk, an unreadable input, a dangling --out, an impossible model
 * shape, a truncated model file, a delta beyond the accountants' resolution) end with one line on
 * standard error and the exit code of the README's table, never a stack trace.
 */
class FailureLineTest {

    @TempDir Path dir;

    /** A tiny train run (hidden size 4 unless {@code more} sets it). */
    private String[] train(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--noise-multiplier", "1",
                "--epochs", "1", "--batch-size", "10", "--embedding", "4", "--threads", "1",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        if (!args.contains("--hidden")) {
            args.addAll(List.of("--hidden", "4"));
        }
        return args.toArray(String[]::new);
    }

    /** Exit {@code code} and exactly one "dplstm:" line holding {@code expected}; no stack trace. */
    private static void assertOneLine(int exitCode, String err, int code, String... expected) {
        assertThat(exitCode).as(err).isEqualTo(code);
        List<String> lines = err.lines().filter(l -> l.startsWith("dplstm:")).toList();
        assertThat(lines).as(err).hasSize(1);
        for (String part : expected) {
            assertThat(lines.get(0)).contains(part);
        }
        assertThat(err).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aFullDiskIsOneLineWithExitFive() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "the disk-full tests mount a small tmpfs, which needs root; skipped as " + System.getProperty("user.name"));
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path full = Files.createDirectory(dir.resolve("full"));
        assumeTrue(command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full.toString()) == 0,
                "cannot mount a tmpfs here; skipped");
        try {
            // The first checkpoint (about 400 kB for this model) does not fit in 64 kB.
            Path run = full.resolve("run");
            CliRunner.Result trained = CliRunner.run(train(data, run));
            assertOneLine(trained.exitCode(), trained.err(), 5, run.toString(), "No space left on device");

            Path big = dir.resolve("big.jsonl");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                lines.add("{\"text\": \"record " + i + " about a refund for order " + i + " that never came\"}");
            }
            Files.write(big, lines);
            Path output = full.resolve("clean.jsonl");
            CliRunner.Result sanitized = CliRunner.run("sanitize", "--input", big.toString(), "--output", output.toString());
            assertOneLine(sanitized.exitCode(), sanitized.err(), 5, output.toString(), "No space left on device");
        } finally {
            command("umount", full.toString());
        }
    }

    @Test
    void anUnreadableInputIsOneLineWithExitFiveAndDplstmDebugShowsTheTrace() throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("---------"));
        Path out = dir.resolve("run");
        CliRunner.Result trained = unprivileged(dir, false, train(data, out));
        assertOneLine(trained.exitCode(), trained.out(), 5, data.toString(), "permission denied");
        assertThat(out).doesNotExist();
        CliRunner.Result sanitized = unprivileged(dir, false, "sanitize", "--input", data.toString(), "--output",
                dir.resolve("clean.jsonl").toString());
        assertOneLine(sanitized.exitCode(), sanitized.out(), 5, data.toString(), "permission denied");

        Path words = Files.writeString(dir.resolve("words.txt"), "refund\nplease\n");
        Files.setPosixFilePermissions(words, PosixFilePermissions.fromString("---------"));
        Path readable = TicketFiles.jsonl(dir, "readable.jsonl", 60, "billing", "access");
        CliRunner.Result vocab = unprivileged(dir, false, train(readable, out, "--vocab", words.toString()));
        assertOneLine(vocab.exitCode(), vocab.out(), 5, words + ": permission denied");
        assertThat(out).doesNotExist();

        CliRunner.Result debug = unprivileged(dir, true, train(data, out));
        assertThat(debug.exitCode()).isEqualTo(5);
        assertThat(debug.out()).contains("dplstm: " + data + ": permission denied").contains("\tat ");
    }

    @Test
    void anOutInADirectoryYouCannotWriteIsAnIoFailureAndOneThroughAFileIsBadInput() throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path out = readOnly.resolve("run");
        CliRunner.Result denied = unprivileged(dir, false, train(data, out));
        assertOneLine(denied.exitCode(), denied.out(), 5, readOnly + ": permission denied (--out " + out
                + " cannot be created in it)");
        assertThat(out).doesNotExist();

        Path file = Files.writeString(dir.resolve("afile"), "mine");
        Path through = file.resolve("run");
        CliRunner.Result refused = CliRunner.run(train(data, through));
        assertOneLine(refused.exitCode(), refused.err(), 2, "--out cannot be created: " + file
                + " is a file, not a directory, was " + through);
        assertThat(Files.readString(file)).isEqualTo("mine");
    }

    @Test
    void aRunDirectoryYouCannotReadIsAnIoFailureNotAMissingRun() throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path run = dir.resolve("run");
        CliRunner.Result trained = CliRunner.run(train(data, run));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("---------"));
        try {
            // Without search permission every file in it looks missing: the line must say why, not "no model".
            for (String[] args : List.of(
                    new String[] {"predict", "--model", run.toString(), "--text", "refund please"},
                    new String[] {"generate", "--model", run.toString(), "--prompt", "refund"},
                    new String[] {"translate", "--model", run.toString(), "--text", "refund"},
                    new String[] {"report", run.toString()},
                    new String[] {"audit", "verify", run.toString()},
                    new String[] {"train", "--resume", run.toString(), "--ledger", dir.resolve("ledger.jsonl").toString()})) {
                CliRunner.Result denied = unprivileged(dir, false, args);
                assertOneLine(denied.exitCode(), denied.out(), 5, run + ": permission denied");
                assertThat(HelpExitCodes.of(args)).as(args[0] + " --help").containsKey("5");
            }
        } finally {
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** README: "--plot FILE is checked before the table is printed"; a folder you cannot write is an I/O failure. */
    @Test
    void aPlotInAFolderYouCannotWriteFailsBeforeTheTableIsPrinted() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        CliRunner.Result denied = unprivileged(dir, false, "budget", "--sample-rate", "0.01", "--steps", "10",
                "--noise-multiplier", "1", "--delta", "1e-5", "--plot", readOnly.resolve("eps.png").toString());
        assertOneLine(denied.exitCode(), denied.out(), 5, readOnly + ": permission denied");
        assertThat(denied.out()).doesNotContain("epsilon");
        try (var left = Files.list(readOnly)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aDanglingSymbolicLinkAsOutIsOneLine() throws IOException {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path link = Files.createSymbolicLink(dir.resolve("run"), dir.resolve("missing").resolve("run"));
        CliRunner.Result trained = CliRunner.run(train(data, link));
        assertOneLine(trained.exitCode(), trained.err(), 2, link.toString(), "dangling symbolic link",
                dir.resolve("missing").resolve("run").toString());
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void shapesThatCannotFitAreRefusedUpFrontNamingTheOption() throws IOException {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path out = dir.resolve("run");
        // 4H x H = 4e10 values: more than one array holds (today: "integer overflow" after the plan).
        assertBadInputWritesNothing(out, "reduce --hidden", train(data, out, "--hidden", "100000"));
        // Every array fits, but 1000 layers of 3.2e9 parameters need terabytes: no machine has them.
        assertBadInputWritesNothing(out, "more than this machine's",
                train(data, out, "--hidden", "20000", "--layers", "1000"));
    }

    @Test
    void aTruncatedModelFileIsRefusedNamingIt() throws IOException {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path run = dir.resolve("run");
        CliRunner.Result trained = CliRunner.run(train(data, run));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        Path model = run.resolve("model.bin");
        for (int keep : new int[] {10, 1000}) {
            byte[] bytes = Files.readAllBytes(model);
            Files.write(model, java.util.Arrays.copyOf(bytes, keep));
            CliRunner.Result predicted = CliRunner.run("predict", "--model", run.toString(), "--text", "refund please");
            // The log binds model.bin, so the cut file is refused before it is read (ModelFile's own
            // "truncated or corrupt" line is checked in LstmClassifierTest).
            assertOneLine(predicted.exitCode(), predicted.err(), 2, model.toString(), "does not match the log");
            Files.write(model, bytes);
        }
    }

    @Test
    void aDeltaBelowTheAccountantsResolutionIsBadInput() throws IOException {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path out = dir.resolve("run");
        String expected = "delta must be in [1.0E-12, 1), was 1.0E-300";
        assertBadInputWritesNothing(out, expected, train(data, out, "--delta", "1e-300"));
        CliRunner.Result budget = CliRunner.run("budget", "--sample-rate", "0.01", "--noise-multiplier", "1",
                "--steps", "100", "--delta", "1e-300");
        assertOneLine(budget.exitCode(), budget.err(), 2, expected);
    }

    private static int command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    /** The command line as a real process, without the permissions that let root read any file. */
    private static CliRunner.Result unprivileged(Path dir, boolean debug, String... args)
            throws IOException, InterruptedException {
        return CliProcess.runUnprivileged(dir, debug ? Map.of("DPLSTM_DEBUG", "1") : Map.of(), args);
    }
}
