package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.calibration.TrainingPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class BudgetCommandTest {

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cli = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("budget", "--format", "json"));
        all.addAll(List.of(args));
        Result result = run(all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return new ObjectMapper().readTree(result.out());
    }

    @Test
    void jsonHasTheDocumentedKeysAndReferenceValues() throws Exception {
        JsonNode node = json("--sample-rate", "0.01", "--noise-multiplier", "1.0", "--steps", "1000", "--delta", "1e-5");
        assertThat(node.fieldNames()).toIterable()
                .containsExactly("sample_rate", "noise_multiplier", "steps", "delta", "epsilon", "rdp_order");
        assertThat(node.get("steps").asLong()).isEqualTo(1000);
        assertThat(node.get("epsilon").fieldNames()).toIterable().containsExactly("rdp", "pld");
        // ARCHITECTURE §4 reference row: RDP 2.101367 (order 7.8), PLD 1.828237.
        assertThat(node.get("epsilon").get("rdp").asDouble()).isCloseTo(2.101367, within(1e-4));
        assertThat(node.get("epsilon").get("pld").asDouble()).isBetween(1.828237 * 0.999, 1.828237 * 1.01);
        assertThat(node.get("rdp_order").asDouble()).isBetween(7.0, 9.0);
    }

    @Test
    void epochPlanUsesFloorOfEpochsTimesNOverB() throws Exception {
        JsonNode node = json("--dataset-size", "60000", "--batch-size", "256", "--epochs", "60",
                "--noise-multiplier", "1.1", "--delta", "1e-5", "--accountant", "pld");
        assertThat(node.get("steps").asLong()).isEqualTo(14062);
        assertThat(node.get("sample_rate").asDouble()).isEqualTo(256 / 60000.0);
        assertThat(node.get("epsilon").fieldNames()).toIterable().containsExactly("pld");
        assertThat(node.has("rdp_order")).isFalse();
        assertThat(node.get("epsilon").get("pld").asDouble()).isBetween(2.381598 * 0.999, 2.381598 * 1.01);
    }

    @Test
    void targetEpsilonCalibratesSigmaThatMeetsIt() throws Exception {
        JsonNode node = json("--sample-rate", "0.01", "--steps", "1000", "--target-epsilon", "2", "--delta", "1e-5",
                "--accountant", "rdp");
        double sigma = node.get("noise_multiplier").asDouble();
        assertThat(node.get("epsilon").get("rdp").asDouble()).isLessThanOrEqualTo(2.0).isGreaterThan(1.99);
        assertThat(sigma).isBetween(0.9, 1.2); // eps(1.0) = 2.10 > 2, so a bit more than 1.0
    }

    @Test
    void textStatesTheGuaranteeInOneSentence() {
        Result result = run("budget", "--sample-rate", "0.01", "--noise-multiplier", "1", "--steps", "100", "--delta", "1e-5");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("rdp", "pld", "differentially private for each example (PLD accountant)");
        Result markdown = run("budget", "--sample-rate", "0.01", "--noise-multiplier", "1", "--steps", "100",
                "--delta", "1e-5", "--format", "markdown", "--accountant", "rdp");
        assertThat(markdown.out()).contains("| RDP |", "| steps | 100 |");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "--sample-rate 1.5 --noise-multiplier 1 --steps 10 --delta 1e-5; --sample-rate must be in (0, 1]",
        "--sample-rate 0 --noise-multiplier 1 --steps 10 --delta 1e-5; --sample-rate must be in (0, 1]",
        "--sample-rate 0.1 --noise-multiplier 0 --steps 10 --delta 1e-5; --noise-multiplier must be > 0",
        "--sample-rate 0.1 --noise-multiplier NaN --steps 10 --delta 1e-5; --noise-multiplier must be > 0",
        "--sample-rate 0.1 --noise-multiplier 1 --steps 0 --delta 1e-5; --steps must be >= 1",
        "--sample-rate 0.1 --noise-multiplier 1 --steps 2.5 --delta 1e-5; --steps must be an integer >= 1, was 2.5",
        "--sample-rate 0.1 --noise-multiplier 1 --steps 10 --delta 1; --delta must be in (0, 1)",
        "--sample-rate 0.1 --noise-multiplier 1 --steps 10 --delta 1e-5 --target-epsilon 1; conflict",
        "--sample-rate 0.1 --dataset-size 100 --batch-size 10 --epochs 1 --noise-multiplier 1 --delta 1e-5; conflict",
        "--sample-rate 1 --steps 10000000 --target-epsilon 0.0001 --delta 1e-5 --accountant rdp; target epsilon must be at least",
        "--sample-rate 0.1 --noise-multiplier 1 --steps 10 --delta 1e-5 --accountant moments; --accountant must be one of rdp, pld, all",
        "--sample-rate 0.1 --noise-multiplier 1 --steps 10 --delta 1e-5 --plot out.pdf; --plot must name a .png or .svg file",
        "--sample-rate 0.1 --noise-multiplier 1 --steps 10 --delta 1e-5 --plot /missing-dplstm-dir/x.png; --plot: output folder must exist, was /missing-dplstm-dir"
    })
    void badInputExitsWithTwoAndOneLineNamingTheParameter(String args, String expected) {
        List<String> all = new ArrayList<>(List.of("budget"));
        all.addAll(List.of(args.trim().split(" +")));
        Result result = run(all.toArray(String[]::new));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(expected);
        assertThat(result.err().lines().filter(l -> l.startsWith("dplstm:")).count()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
    }

    /** A noise multiplier whose loss grid the PLD accountant cannot hold is bad input: one line, exit 2. */
    @ParameterizedTest
    @CsvSource({"pld", "all"})
    void noiseTooSmallForThePldAccountantExitsWithTwoAndOneLine(String accountant) {
        Result result = run("budget", "--sample-rate", "0.2", "--steps", "1000000", "--noise-multiplier", "0.12",
                "--delta", "1e-5", "--accountant", accountant);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).startsWith("dplstm: the PLD accountant cannot compose sample rate 0.2, noise multiplier"
                + " 0.12, 1000000 steps").contains("--accountant rdp");
        assertThat(result.err().lines().count()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
    }

    /**
     * A noise multiplier so small that one step's privacy loss passes e^709 (where doubles
     * overflow) still gets at least the exact Gaussian mechanism's epsilon (Balle and Wang: 696.7778).
     */
    @Test
    void tinyNoiseIsNotUnderReported() throws Exception {
        JsonNode node = json("--sample-rate", "1", "--steps", "1", "--noise-multiplier", "0.03", "--delta", "1e-5",
                "--accountant", "pld");
        assertThat(node.get("epsilon").get("pld").asDouble()).isBetween(696.7777, 696.7778 * 1.01);
    }

    /** A target looser than anything the PLD accountant can compute gets the least noise it can: exit 0. */
    @Test
    void targetBeyondThePldAccountantsReachCalibratesTheLeastNoiseItCanCompute() throws Exception {
        JsonNode node = json("--sample-rate", "0.2", "--steps", "10000", "--target-epsilon", "1000000",
                "--delta", "1e-5", "--accountant", "pld");
        assertThat(node.get("noise_multiplier").asDouble()).isBetween(0.1, 0.3);
        assertThat(node.get("epsilon").get("pld").asDouble()).isPositive().isLessThanOrEqualTo(1e6);
    }

    /** Where the PLD accountant's limit, not the target, set the noise, the note says so instead of "smallest". */
    @Test
    void calibrationNoteSaysWhenTheAccountantsLimitSetTheNoise() {
        TrainingPlan plan = TrainingPlan.ofSteps(0.2, 10_000);
        String atLimit = new BudgetReport(plan, 0.168065, 1e-5, Map.of(AccountantKind.PLD, 33475.7), Double.NaN,
                AccountantKind.PLD, 1e6).text();
        assertThat(atLimit).contains("0.168065 (the least noise the PLD accountant can compute; it meets target epsilon 1e+06)")
                .doesNotContain("smallest");
        String atTarget = new BudgetReport(plan, 0.3, 1e-5, Map.of(AccountantKind.PLD, 29999.0), Double.NaN,
                AccountantKind.PLD, 30000.0).text();
        assertThat(atTarget).contains("0.3 (smallest meeting target epsilon 30000, by PLD)");
    }

    @Test
    void plotIsWrittenAsSvgOrPngWithoutLeftovers(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("budget.svg");
        Result result = run("budget", "--sample-rate", "0.05", "--noise-multiplier", "1", "--steps", "50",
                "--delta", "1e-5", "--plot", svg.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readString(svg)).contains("<svg");
        Path png = dir.resolve("budget.png");
        Files.writeString(png, "an older plot"); // the file --plot names is the user's to replace, as report's --out
        assertThat(run("budget", "--sample-rate", "0.05", "--noise-multiplier", "1", "--steps", "50",
                "--delta", "1e-5", "--accountant", "pld", "--plot", png.toString()).exitCode()).isZero();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(800);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(svg, png); // no temporary file left behind
        }
    }

    @Test
    void theTopLevelHelpListsBudgetWithAWholeSentence() {
        Result help = run("--help");
        assertThat(help.exitCode()).as(help.err()).isZero();
        // picocli lists each command by the first line of its description (wrapped to the screen's
        // width): a whole sentence
        List<String> lines = help.out().lines().toList();
        int at = 0;
        while (!lines.get(at).startsWith("  budget ")) {
            at++;
        }
        StringBuilder budget = new StringBuilder(lines.get(at).strip());
        while (at + 1 < lines.size() && lines.get(at + 1).matches(" {6,}\\S.*")) {
            budget.append(' ').append(lines.get(++at).strip());
        }
        assertThat(budget.toString()).doesNotEndWith("with").contains("target epsilon").endsWith(".");
    }
}
