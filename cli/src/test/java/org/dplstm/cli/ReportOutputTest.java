package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --out} never replaces what the report is made from: the run's files, its training and
 * validation data, the ledger, the key.
 */
class ReportOutputTest {

    @TempDir Path dir;

    private Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                contents.put(file.getFileName().toString(), Files.isRegularFile(file) ? Files.readAllBytes(file) : null);
            }
        }
        return contents;
    }

    @Test
    void anOutputInsideTheRunOrLinkedToItsFilesOrTheLedgerIsRefused() throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path run = dir.resolve("run");
        Path ledger = dir.resolve("ledger.jsonl");
        CliRunner.Result trained = CliRunner.run("train", "--train", data.toString(), "--noise-multiplier", "1.0",
                "--epochs", "1", "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--vocab-size", "32",
                "--out", run.toString(), "--ledger", ledger.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        Map<String, byte[]> before = contents(run);
        byte[] ledgerBefore = Files.readAllBytes(ledger);

        Path outside = Files.createDirectory(dir.resolve("reports"));
        Path hardLink = Files.createLink(outside.resolve("hard.md"), run.resolve("report.json"));
        Path symlink = Files.createSymbolicLink(outside.resolve("link.md"), run.resolve("audit.jsonl"));
        Path linkedRun = Files.createSymbolicLink(outside.resolve("run-link"), run);
        for (Path target : new Path[] {run.resolve("audit.jsonl"), run.resolve("model.bin"), run.resolve("report.json"),
                run.resolve("new-report.md"), run, linkedRun.resolve("x.md"), hardLink, symlink, ledger}) {
            for (String format : new String[] {"markdown", "json"}) {
                CliRunner.Result refused = CliRunner.run("report", run.toString(), "--format", format,
                        "--out", target.toString(), "--ledger", ledger.toString());
                assertThat(refused.exitCode()).as(target + ": " + refused.err() + refused.out()).isEqualTo(2);
                assertThat(refused.err()).startsWith("dplstm: --out");
            }
        }
        // markdown's chart beside --out (NAME-epsilon.png) is an output too
        Path chartLink = Files.createSymbolicLink(outside.resolve("r-epsilon.png"), run.resolve("model.bin"));
        CliRunner.Result chartRefused = CliRunner.run("report", run.toString(), "--out", outside.resolve("r.md").toString(),
                "--ledger", ledger.toString());
        assertThat(chartRefused.exitCode()).as(chartRefused.err()).isEqualTo(2);
        assertThat(outside.resolve("r.md")).doesNotExist();

        Map<String, byte[]> after = contents(run);
        assertThat(after).containsOnlyKeys(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
        assertThat(Files.readAllBytes(ledger)).isEqualTo(ledgerBefore);
        assertThat(Files.isSymbolicLink(symlink) && Files.isSymbolicLink(chartLink)).isTrue();

        Files.delete(chartLink);
        CliRunner.Result written = CliRunner.run("report", run.toString(), "--out", outside.resolve("r.md").toString(),
                "--ledger", ledger.toString());
        assertThat(written.exitCode()).as(written.err()).isZero();
        assertThat(Files.readString(outside.resolve("r.md"))).contains("# Privacy report");
        assertThat(outside.resolve("r-epsilon.png")).exists();
    }

    /** The run's training and validation data (run.json's "train" and "valid") are its inputs: never an output. */
    @Test
    void theRunsTrainingAndValidationDataAreRefusedAsOutputs() throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path valid = TicketFiles.jsonl(dir, "valid.jsonl", 20, "billing", "access");
        Path run = dir.resolve("run");
        Path ledger = dir.resolve("ledger.jsonl");
        CliRunner.Result trained = CliRunner.run("train", "--train", data.toString(), "--valid", valid.toString(),
                "--noise-multiplier", "1.0", "--epochs", "1", "--batch-size", "20", "--embedding", "4", "--hidden", "4",
                "--vocab-size", "32", "--out", run.toString(), "--ledger", ledger.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        Map<String, byte[]> before = contents(dir);
        Path hardLink = Files.createLink(dir.resolve("data-copy.md"), data);
        before.put("data-copy.md", Files.readAllBytes(data));

        for (Path target : new Path[] {data, valid, hardLink}) {
            for (String format : new String[] {"markdown", "html", "json"}) {
                CliRunner.Result refused = CliRunner.run("report", run.toString(), "--format", format,
                        "--out", target.toString(), "--ledger", ledger.toString());
                assertThat(refused.exitCode()).as(target + ": " + refused.err() + refused.out()).isEqualTo(2);
                assertThat(refused.err()).startsWith("dplstm: --out must not be the same file as the run's "
                        + (target.equals(valid) ? "validation" : "training") + " data");
                assertThat(refused.err().lines().count()).as(refused.err()).isEqualTo(1);
            }
        }
        Map<String, byte[]> after = contents(dir);
        assertThat(after).containsOnlyKeys(before.keySet()); // no chart (train-epsilon.png) either
        for (String name : List.of("train.jsonl", "valid.jsonl", "data-copy.md")) {
            assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
        }
    }

    /** A folder the run read (here a language model's text folder) takes no report: it would become training text. */
    @Test
    void aReportIsNeverWrittenIntoAFolderTheRunRead() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("corpus"));
        Files.writeString(folder.resolve("a.txt"), "one line of text\nanother line of text\na third line\n");
        Path run = dir.resolve("run");
        Path ledger = dir.resolve("ledger.jsonl");
        CliRunner.Result trained = CliRunner.run("train", "--task", "lm", "--train", folder.toString(),
                "--noise-multiplier", "1.0", "--epochs", "1", "--batch-size", "2", "--embedding", "8", "--hidden", "8",
                "--threads", "1", "--out", run.toString(), "--ledger", ledger.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        Path inside = folder.resolve("report.md");
        CliRunner.Result refused = CliRunner.run("report", run.toString(), "--out", inside.toString(), "--ledger",
                ledger.toString());
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err().strip()).isEqualTo("dplstm: --out must be outside the run's training data " + folder
                + " (a folder the run read), was " + inside);
        try (var files = Files.list(folder)) {
            assertThat(files).containsExactly(folder.resolve("a.txt"));
        }
    }
}
