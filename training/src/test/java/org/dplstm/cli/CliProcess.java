package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the command line as a real child process (for tests that kill it), on this test's class
 * path, its output appended to a file. The audit key and ledger variables of the test JVM are
 * removed so that a test names its key file and ledger itself.
 */
final class CliProcess {

    private CliProcess() {}

    static Process start(Path output, String... args) throws IOException {
        return start(output, List.of(), args);
    }

    /** As {@link #start(Path, String...)}, with extra JVM options (e.g. the module options Spark needs). */
    static Process start(Path output, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xmx1g", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().remove("DPLSTM_AUDIT_KEY_FILE");
        builder.environment().remove("DPLSTM_LEDGER");
        return builder.start();
    }
}
