package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command's --help lists every exit code the command gives: each code is brought about here
 * (cheaply: tiny plans and shapes) and looked up in the command's list.
 */
class ExitCodeHelpTest {

    @TempDir Path dir;

    /** The exit code of {@code result}, after checking the help of its command lists it. */
    private static void assertListed(CliRunner.Result result, int expected, String... command) {
        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(expected);
        assertThat(HelpExitCodes.of(command)).as(String.join(" ", command) + " --help")
                .containsKey(String.valueOf(expected));
    }

    private Path readOnlyFolder() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        return folder;
    }

    @Test
    void budgetListsSuccessBadInputAndAnUnwritablePlot() throws Exception {
        String[] plan = {"budget", "--sample-rate", "0.01", "--steps", "10", "--noise-multiplier", "1"};
        assertListed(CliRunner.run(with(plan, "--delta", "1e-5")), 0, "budget");
        assertListed(CliRunner.run(plan), 2, "budget"); // no --delta
        String plot = readOnlyFolder().resolve("eps.png").toString();
        assertListed(CliProcess.runUnprivileged(dir, Map.of(), with(plan, "--delta", "1e-5", "--plot", plot)), 5,
                "budget");
    }

    @Test
    void benchListsSuccessAndBadInput() {
        String[] tiny = {"bench", "--batch", "2", "--length", "2", "--embedding", "2", "--hidden", "2", "--vocab", "10",
                "--classes", "2", "--repeat", "1", "--loop-repeat", "1", "--threads", "1"};
        assertListed(CliRunner.run(tiny), 0, "bench");
        assertListed(CliRunner.run(with(tiny, "--format", "xml")), 2, "bench");
    }

    @Test
    void doctorListsHealthyAndASetUpToFix() throws Exception {
        assertListed(CliRunner.run("doctor"), 0, "doctor");
        // a libtorch of another version named by PYTORCH_LIBRARY_PATH (DoctorCommandTest)
        Path lib = Files.createDirectories(dir.resolve("libtorch/lib"));
        Files.write(lib.resolve(System.mapLibraryName("torch")), new byte[0]);
        Files.writeString(dir.resolve("libtorch/build-version"), "2.5.1+cpu\n");
        assertListed(CliProcess.runToEnd(dir, Map.of("PYTORCH_LIBRARY_PATH", lib.toString()), List.of(), "doctor"), 2,
                "doctor");
    }

    @Test
    void auditPrivacyListsBadInputAnUnreadableInputAndANumericalFailure() throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        String[] audit = {"audit", "privacy", "--train", data.toString(), "--epochs", "2", "--batch-size", "10",
                "--embedding", "4", "--hidden", "4", "--threads", "1", "--canaries", "2", "--repeats", "2",
                "--secret-digits", "1", "--audit-examples", "10", "--ledger", dir.resolve("ledger.jsonl").toString()};
        assertListed(CliRunner.run(with(audit, "--out", dir.resolve("bad").toString())), 2, "audit", "privacy");
        // a learning rate of 1e30 drives the weights to NaN within a few steps (NonFiniteTrainingTest)
        assertListed(CliRunner.run(with(audit, "--noise-multiplier", "1", "--lr", "1e30", "--out",
                dir.resolve("diverged").toString())), 7, "audit", "privacy");
        Path unreadable = Files.copy(data, dir.resolve("unreadable.jsonl"));
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        String[] denied = with(audit, "--no-privacy", "--out", dir.resolve("denied").toString());
        denied[3] = unreadable.toString();
        assertListed(CliProcess.runUnprivileged(dir, Map.of(), denied), 5, "audit", "privacy");
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
