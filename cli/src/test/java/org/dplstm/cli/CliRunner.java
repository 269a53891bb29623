package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the command line in this JVM and captures what it prints (System.out/err and picocli's writers). */
final class CliRunner {

    record Result(int exitCode, String out, String err) {}

    private CliRunner() {}

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter cliOut = new StringWriter();
        StringWriter cliErr = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            picocli.CommandLine cli = Main.newCommandLine();
            cli.setOut(new PrintWriter(cliOut, true));
            cli.setErr(new PrintWriter(cliErr, true));
            int code = cli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8) + cliOut,
                    err.toString(StandardCharsets.UTF_8) + cliErr);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /**
     * `audit verify` of a run trained with {@code --key-file key --ledger ledger}: with the key it
     * passes and the ledger's hash matches; without the key the keyed log is not taken as intact.
     * Returns the keyed verification's result.
     */
    static Result assertKeyedRunVerifies(Path run, Path key, Path ledger) {
        Result verified = run("audit", "verify", run.toString(), "--key-file", key.toString(),
                "--ledger", ledger.toString());
        assertThat(verified.exitCode()).as(verified.out()).isZero();
        assertThat(verified.out()).contains("ledger: the log's final hash matches");
        assertThat(run("audit", "verify", run.toString(), "--ledger", ledger.toString()).exitCode())
                .as("a keyed log without its key").isNotZero();
        return verified;
    }

    /**
     * Runs a train command that the dataset budget in {@code ledger} must refuse: exit 2 naming
     * the budget, no output directory {@code refused}, the ledger byte for byte as before.
     */
    static void assertOverBudgetRefused(List<String> trainArgs, Path refused, Path ledger) throws IOException {
        byte[] ledgerBefore = Files.readAllBytes(ledger);
        Result over = run(trainArgs.toArray(String[]::new));
        assertThat(over.exitCode()).as(over.err()).isEqualTo(2);
        assertThat(over.err()).contains("dataset budget").contains("would be exceeded");
        assertThat(refused).doesNotExist();
        assertThat(Files.readAllBytes(ledger)).isEqualTo(ledgerBefore);
    }

    /**
     * Runs the command line and checks it refused bad input the way scripts rely on: exit 2, one
     * "dplstm:" line on stderr containing {@code expectedMessage}, and {@code out} not created.
     */
    static void assertBadInputWritesNothing(Path out, String expectedMessage, String... args) {
        Result run = run(args);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(expectedMessage);
        assertThat(run.err().lines().filter(l -> l.startsWith("dplstm:")).count()).as(run.err()).isEqualTo(1);
        assertThat(out).doesNotExist();
    }
}
