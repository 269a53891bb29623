package org.dplstm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts the command line as a real child process (for tests that kill it, or that need their own
 * environment or privileges), on this test's class path. The audit key and ledger variables of the test JVM are
 * removed so that a test names its key file and ledger itself.
 */
final class CliProcess {

    private CliProcess() {}

    static Process start(Path output, String... args) throws IOException {
        return start(output, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with extra JVM options (e.g. the module options Spark needs). */
    static Process start(Path output, List<String> jvmOptions, String... args) throws IOException {
        return builder(List.of(), jvmOptions, args).redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
    }

    /**
     * Runs the command line to its end in {@code workDir} with {@code environment} added (and
     * DPLSTM_DEBUG removed unless given), behind {@code prefix} (e.g. a setpriv call); returns
     * the exit code and the combined output (as {@code out}).
     */
    static CliRunner.Result runToEnd(Path workDir, Map<String, String> environment, List<String> prefix,
            String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = builder(prefix, List.of(), args).directory(workDir.toFile());
        builder.environment().remove("DPLSTM_DEBUG");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not end within 120 s: " + List.of(args));
        }
        return new CliRunner.Result(process.exitValue(), output, "");
    }

    /**
     * As {@link #runToEnd}, without the permissions that let root read and write any file (so a
     * test of a permission failure means the same as root); skipped where setpriv is missing.
     */
    static CliRunner.Result runUnprivileged(Path workDir, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> prefix = List.of();
        if ("root".equals(System.getProperty("user.name"))) {
            // root reads any file through CAP_DAC_OVERRIDE: drop it (and its read-only twin).
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv to drop root's file access");
            prefix = List.of("/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search");
        }
        return runToEnd(workDir, environment, prefix, args);
    }

    private static ProcessBuilder builder(List<String> prefix, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx1g", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("DPLSTM_AUDIT_KEY_FILE");
        builder.environment().remove("DPLSTM_LEDGER");
        return builder;
    }
}
