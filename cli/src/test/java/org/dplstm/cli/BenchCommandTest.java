package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private static final class Run {
        final int exitCode;
        final String out;
        final String err;

        Run(String... args) {
            CommandLine cli = Main.newCommandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            this.exitCode = cli.execute(args);
            this.out = out.toString();
            this.err = err.toString();
        }
    }

    private static void assertRatio(JsonNode json, String ratio, String step) {
        double expected = json.get(step).asDouble() / json.get("nonprivate_step_ms").asDouble();
        assertThat(json.get(ratio).asDouble()).as(ratio)
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(Math.max(0.01 * expected, 0.0006)));
    }

    @Test
    @Tag("engine")
    void jsonReportHasTheIssueKeysAndAnAccurateFusedSum() throws Exception {
        Run run = new Run("bench", "--format", "json", "--batch", "4", "--length", "5", "--embedding", "3",
                "--hidden", "4", "--vocab", "20", "--classes", "3", "--repeat", "1", "--loop-repeat", "1");
        assertThat(run.exitCode).as(run.err).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out);
        for (String key : new String[] {"nonprivate_step_ms", "dp_step_ms", "loop_step_ms", "dp_over_nonprivate",
                "max_rel_error"}) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("nonprivate_step_ms").asDouble()).isPositive();
        // the ratio comes from the unrounded times, the check from the printed ones; times and ratio are
        // each printed to 0.001, so a ratio far below 1 (one timing of --repeat 1 on a busy machine) may
        // differ by that rounding: 1% or half the last printed digit, whichever is larger
        assertRatio(json, "dp_over_nonprivate", "dp_step_ms");
        assertRatio(json, "loop_over_nonprivate", "loop_step_ms");
        // float32: the fused clipped sum agrees with the per-example loop
        assertThat(json.get("max_rel_error").asDouble()).isLessThan(1e-4);
    }

    @Test
    @Tag("engine")
    void gruCellBenchTimesTheProjectsGruModel() throws Exception {
        Run run = new Run("bench", "--cell", "gru", "--format", "json", "--batch", "4", "--length", "5",
                "--embedding", "3", "--hidden", "4", "--vocab", "20", "--classes", "3", "--repeat", "1",
                "--loop-repeat", "1");
        assertThat(run.exitCode).as(run.err).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("cell").asText()).isEqualTo("gru");
        assertThat(json.get("model").asText()).isEqualTo("dplstm");
        assertThat(json.get("nonprivate_step_ms").asDouble()).isPositive();
        assertThat(json.get("dp_step_ms").asDouble()).isPositive();
        // float32: the fused GRU clipped sum agrees with the per-example loop
        assertThat(json.get("max_rel_error").asDouble()).isLessThan(1e-4);
    }

    @Test
    @Tag("engine")
    void blockBenchTimesADjlGruBlockModelThroughTheMechanism() throws Exception {
        Run run = new Run("bench", "--cell", "gru", "--block", "--format", "json", "--batch", "4", "--length", "5",
                "--embedding", "3", "--hidden", "4", "--vocab", "20", "--classes", "3", "--repeat", "1",
                "--loop-repeat", "1");
        assertThat(run.exitCode).as(run.err).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out);
        assertThat(json.get("cell").asText()).isEqualTo("gru");
        assertThat(json.get("model").asText()).isEqualTo("djl-block");
        assertThat(json.get("dp_step_ms").asDouble()).isPositive();
        assertThat(json.get("worst_parameter").asText()).containsAnyOf("GRU", "Linear", "Embedding");
        assertThat(json.get("max_rel_error").asDouble()).isLessThan(1e-4);
    }

    @Test
    void badShapeIsAUsageErrorNamingTheOption() {
        Run cell = new Run("bench", "--cell", "rnn");
        assertThat(cell.exitCode).isEqualTo(2);
        assertThat(cell.err).contains("cell must be one of [lstm, gru], was rnn");
        Run block64 = new Run("bench", "--cell", "gru", "--block", "--dtype", "float64");
        assertThat(block64.exitCode).isEqualTo(2);
        assertThat(block64.err).contains("dtype must be float32 for a block model");
        Run run = new Run("bench", "--batch", "0");
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("batch must be >= 1, was 0");
        Run format = new Run("bench", "--format", "xml");
        assertThat(format.exitCode).isEqualTo(2);
        assertThat(format.err).contains("format must be one of [text, json], was xml");
    }

    @Test
    void aBatchThatCannotFitInMemoryIsRefusedBeforeAnythingIsAllocated() {
        Run run = new Run("bench", "--threads", "1", "--embedding", "8", "--loop-repeat", "1", "--batch", "100000000",
                "--hidden", "8", "--length", "8", "--vocab", "50", "--repeat", "2");
        assertThat(run.exitCode).as(run.err).isEqualTo(2);
        assertThat(run.err).contains("--batch").contains("--length").doesNotContain("OutOfMemoryError")
                .doesNotContain("\tat ");
        assertThat(run.err.lines().filter(l -> !l.isBlank()).count()).as(run.err).isEqualTo(1);
    }
}
