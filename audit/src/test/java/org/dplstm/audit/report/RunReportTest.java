package org.dplstm.audit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.SampleRun;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    static final double Q = 0.01;
    static final double SIGMA = 1.0;
    static final int EPOCHS = 4;
    static final long STEPS_PER_EPOCH = 250;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path runDir;
    double finalEpsilon;

    /** A run directory as training leaves it: the log (ε per epoch from the accountant) and a report.json that agrees. */
    @BeforeEach
    void writeRun() throws Exception {
        double[] perEpoch = new double[EPOCHS];
        PrivacyAccountant accountant = Accountants.newAccountant(AccountantKind.RDP);
        for (int e = 0; e < EPOCHS; e++) {
            accountant.compose(new PrivacyEvent.PoissonGaussian(Q, SIGMA, STEPS_PER_EPOCH));
            perEpoch[e] = accountant.epsilon(1e-5);
        }
        finalEpsilon = perEpoch[EPOCHS - 1];
        SampleRun.write(runDir, AuditKey.none(), "run-r", Q, SIGMA, EPOCHS, STEPS_PER_EPOCH, perEpoch);
        writeReportJson(finalEpsilon);
    }

    private void writeReportJson(double epsilon) throws Exception {
        ObjectNode report = JSON.createObjectNode();
        report.put("private", true);
        report.put("valid_accuracy", 0.9); // the last epoch's, as SampleRun logs it
        report.put("valid_loss", 1.5 / EPOCHS);
        report.put("privacy_unit", "example");
        report.put("epsilon", epsilon);
        report.putObject("epsilon_breakdown").put("dp_sgd", epsilon);
        report.put("accountant", "rdp");
        report.put("delta", 1e-5);
        report.put("noise_multiplier", SIGMA);
        report.put("sample_rate", Q);
        report.put("steps", EPOCHS * STEPS_PER_EPOCH);
        report.put("train_seconds", 12.5);
        report.putObject("config").put("epochs", EPOCHS);
        Files.writeString(runDir.resolve("report.json"), JSON.writeValueAsString(report));
    }

    private JsonNode jsonReport() throws Exception {
        RunReport report = RunReportLoader.load(runDir, AuditKey.none(), LedgerLookup.none());
        return JSON.readTree(ReportRenderer.render(report, ReportFormat.JSON, null).text());
    }

    @Test
    void jsonFiguresMatchAnIndependentRecomputationThroughTheAccountant() throws Exception {
        JsonNode json = jsonReport();
        // Independent: ONE event of all steps (RDP composes additively, so 4 x 250 steps = 1 x 1000).
        PrivacyAccountant combined = Accountants.newAccountant(AccountantKind.RDP);
        combined.compose(new PrivacyEvent.PoissonGaussian(Q, SIGMA, EPOCHS * STEPS_PER_EPOCH));
        double expected = combined.epsilon(1e-5);
        assertThat(json.get("epsilon").asDouble()).isCloseTo(expected, within(1e-9));
        assertThat(json.get("epsilon_recomputed").asDouble()).isCloseTo(expected, within(1e-9));
        assertThat(json.get("epsilon_recomputation_agrees").asBoolean()).isTrue();
        assertThat(json.get("accountant").asText()).isEqualTo("rdp");
        assertThat(json.get("delta").asDouble()).isEqualTo(1e-5);
        assertThat(json.get("noise_multiplier").asDouble()).isEqualTo(SIGMA);
        assertThat(json.get("sample_rate").asDouble()).isEqualTo(Q);
        assertThat(json.get("steps").asLong()).isEqualTo(1000);
        assertThat(json.get("epsilon_breakdown").get("dp_sgd").asDouble()).isCloseTo(expected, within(1e-9));
        assertThat(json.get("dataset_fingerprint").asText()).isEqualTo(SampleRun.FINGERPRINT);
        assertThat(json.get("verification").get("status").asText()).isEqualTo("intact");
        assertThat(json.get("epsilon_by_step")).hasSize(EPOCHS);
        assertThat(json.get("epsilon_by_step").get(EPOCHS - 1).get("steps").asLong()).isEqualTo(1000);
        assertThat(json.get("guarantee").asText()).contains(String.format(java.util.Locale.ROOT, "ε = %.3f", expected));
        assertThat(json.get("privacy_audit").isNull()).isTrue();
        assertThat(json.get("finished").asBoolean()).isTrue();
        assertThat(json.get("integrity").get("ok").asBoolean()).as(json.get("integrity").toString()).isTrue();
    }

    @Test
    void anUnderstatedEpsilonInReportJsonIsNamedAndTheLogsEpsilonIsReported() throws Exception {
        writeReportJson(finalEpsilon / 2);
        JsonNode json = jsonReport();
        assertThat(json.get("epsilon").asDouble()).isCloseTo(finalEpsilon, within(1e-12));
        assertThat(json.get("epsilon_recomputation_agrees").asBoolean()).isTrue();
        assertThat(json.get("integrity").get("ok").asBoolean()).isFalse();
        assertThat(json.get("integrity").get("problems")).hasSize(1);
        assertThat(json.get("integrity").get("problems").get(0).asText())
                .isEqualTo("report.json says epsilon = " + finalEpsilon / 2 + ", the log says " + finalEpsilon);
    }

    @Test
    void everyFigureReportJsonStatesIsComparedWithTheLog() throws Exception {
        ObjectNode edited = (ObjectNode) JSON.readTree(runDir.resolve("report.json").toFile());
        edited.put("privacy_unit", "user").put("noise_multiplier", 9.0).put("sample_rate", 0.5).put("steps", 10)
                .put("valid_accuracy", 0.99).put("delta", 1e-9).put("accountant", "pld");
        Files.writeString(runDir.resolve("report.json"), JSON.writeValueAsString(edited));
        RunReport report = RunReportLoader.load(runDir, AuditKey.none(), LedgerLookup.none());
        assertThat(report.integrityProblems()).hasSize(7).allSatisfy(p -> assertThat(p).startsWith("report.json says "));
        assertThat(report.privacyUnit()).isEqualTo("example");
        assertThat(report.noiseMultiplier()).isEqualTo(SIGMA);
        assertThat(report.steps()).isEqualTo(EPOCHS * STEPS_PER_EPOCH);
        assertThat(MarkdownReport.render(report, null)).contains("THE RUN'S RECORD DOES NOT HOLD TOGETHER")
                .contains("report.json says noise_multiplier = 9.0, the log says 1.0");
    }

    @Test
    void aTamperedLogShowsInTheReport() throws Exception {
        Path log = RunFiles.of(runDir).log();
        Files.writeString(log, Files.readString(log).replaceFirst("\"epoch\":3", "\"epoch\":9"));
        JsonNode json = jsonReport();
        assertThat(json.get("verification").get("status").asText()).isEqualTo("tampered");
        assertThat(json.get("verification").get("bad_line").asLong()).isEqualTo(7);
        // Only the verified prefix feeds the figures: epochs 1 and 2.
        assertThat(json.get("epsilon_by_step")).hasSize(2);
        assertThat(json.get("integrity").get("problems").get(0).asText()).startsWith("the audit log does not verify: line 7");
    }

    @Test
    void markdownLinksItsChartBesideTheReportAndHtmlEmbedsIt() throws Exception {
        RunReport report = RunReportLoader.load(runDir, AuditKey.none(), LedgerLookup.none());
        Path out = runDir.resolve("out").resolve("report.md");
        Path chart = ReportRenderer.chartBeside(out);
        assertThat(chart).isEqualTo(out.resolveSibling("report-epsilon.png"));
        ReportRenderer.Rendered markdown = ReportRenderer.render(report, ReportFormat.MARKDOWN, "report-epsilon.png");
        assertThat(markdown.text()).contains("](report-epsilon.png)").contains("## Guarantee").contains("INTACT");
        assertThat(markdown.chart()).startsWith(0x89, 'P', 'N', 'G');
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(markdown.chart())).getWidth()).isPositive();

        String html = ReportRenderer.render(report, ReportFormat.HTML, null).text();
        assertThat(html).contains("data:image/png;base64,iVBORw0KGgo").contains("<h2>Guarantee</h2>");
    }

    @Test
    void privacyAuditResultsAreIncludedWhenPresent() throws Exception {
        Files.writeString(runDir.resolve("privacy_audit.json"),
                "{\"exposure\":{\"mean\":3.5,\"per_canary\":[3,4]},\"mia_auc\":0.52,"
                        + "\"mia_tpr_at_fpr\":{\"0.001\":0.002,\"0.01\":0.012},\"epsilon_lower_bound\":0.1,\"epsilon_formal\":2.0}");
        JsonNode json = jsonReport();
        assertThat(json.get("privacy_audit").get("mia_auc").asDouble()).isEqualTo(0.52);
        RunReport report = RunReportLoader.load(runDir, AuditKey.none(), LedgerLookup.none());
        assertThat(MarkdownReport.render(report, null)).contains("| membership inference AUC | 0.5200 |");
    }

    @Test
    void theReportNeedsTheLogNotReportJson() throws Exception {
        Files.delete(runDir.resolve("report.json"));
        RunReport report = RunReportLoader.load(runDir, AuditKey.none(), LedgerLookup.none());
        assertThat(report.integrityProblems()).isEmpty();
        assertThat(report.epsilon()).isEqualTo(finalEpsilon);
        Files.delete(RunFiles.of(runDir).log());
        assertThatThrownBy(() -> RunReportLoader.load(runDir, AuditKey.none(), LedgerLookup.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit log");
    }

    @Test
    void aSwappedModelIsAnIntegrityProblem() throws Exception {
        Files.writeString(RunFiles.of(runDir).model(), "another run's weights");
        RunReport report = RunReportLoader.load(runDir, AuditKey.none(), LedgerLookup.none());
        assertThat(report.integrityProblems()).singleElement().asString()
                .startsWith("the audit log does not verify: line 11: " + RunFiles.of(runDir).model() + " does not match the log");
    }
}
