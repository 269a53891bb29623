package org.dplstm.privacy.pld;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.dplstm.privacy.PrivacyEvent;
import org.junit.jupiter.api.Test;

/**
 * A noise multiplier far below the useful range needs a grid of millions of points; on a small
 * heap the accountant must say what to do rather than die with a bare OutOfMemoryError. Runs in a
 * child JVM with a 64 MB heap so the test's own JVM is not starved.
 */
class PldOutOfMemoryTest {

    /** The child: composes a tiny-σ history and prints the accountant's message. */
    public static void main(String[] args) {
        PldAccountant accountant = new PldAccountant();
        accountant.compose(new PrivacyEvent.PoissonGaussian(0.1, 0.01, 1000));
        try {
            System.out.println("epsilon " + accountant.epsilon(1e-5));
        } catch (IllegalArgumentException e) { // PldGridTooLargeException: the inputs need a larger grid than fits
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }

    @Test
    void tinyNoiseOnASmallHeapFailsWithAMessageNamingTheRemedies() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                PldOutOfMemoryTest.class.getName())
                .redirectErrorStream(true)
                .start();
        boolean finished = child.waitFor(120, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as("child finished").isTrue();
        assertThat(child.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("ran out of memory").contains("-Xmx").contains("--accountant rdp");
    }
}
