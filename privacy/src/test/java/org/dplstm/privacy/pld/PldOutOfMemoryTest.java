package org.dplstm.privacy.pld;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dplstm.privacy.PrivacyEvent;
import org.junit.jupiter.api.Test;

/**
 * A noise multiplier far below the useful range needs a grid of millions of points; on a small
 * heap the accountant must say what to do rather than die with a bare OutOfMemoryError, and a grid
 * beyond its cap must be refused before it is allocated. Runs in a child JVM with a small
 * heap so the test's own JVM is not starved.
 */
class PldOutOfMemoryTest {

    /** The child: composes the history of args (sample rate, σ, steps) and prints the accountant's message. */
    public static void main(String[] args) {
        PldAccountant accountant = new PldAccountant();
        accountant.compose(new PrivacyEvent.PoissonGaussian(Double.parseDouble(args[0]), Double.parseDouble(args[1]),
                Long.parseLong(args[2])));
        try {
            System.out.println("epsilon " + accountant.epsilon(1e-5));
        } catch (IllegalArgumentException e) { // HistoryOutOfRangeException: the inputs need a larger grid than fits
            System.out.println(e.getMessage());
            System.exit(3);
        }
    }

    /** Runs the child on a heap of {@code heap} and returns what it printed; it must exit 3 (refused). */
    private static String refusalOnHeap(String heap, String... history) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx" + heap, "-cp",
                System.getProperty("java.class.path"), PldOutOfMemoryTest.class.getName()));
        command.addAll(List.of(history));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished = child.waitFor(120, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as("child finished").isTrue();
        assertThat(child.exitValue()).as(output).isEqualTo(3);
        return output;
    }

    @Test
    void tinyNoiseOnASmallHeapFailsWithAMessageNamingTheRemedies() throws IOException, InterruptedException {
        assertThat(refusalOnHeap("64m", "0.1", "0.01", "1000"))
                .contains("ran out of memory").contains("-Xmx").contains("--accountant rdp");
    }

    @Test
    void anFftBeyondTheCapIsRefusedBeforeItIsAllocated() throws IOException, InterruptedException {
        // 256 MB holds one step's loss distribution but not the 7e8-point FFT the million steps need: had the
        // accountant started on that FFT, the heap would have run out first (the message above)
        assertThat(refusalOnHeap("256m", "0.2", "0.12", "1000000"))
                .contains("the noise is too small for its privacy-loss grid").doesNotContain("ran out of memory");
    }
}
