package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.ledger.LedgerEntry;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.log.AuditLog;
import org.dplstm.audit.log.RunEnd;
import org.dplstm.audit.log.RunStart;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.audit.verify.RunArtefacts;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit, ledger and report commands as a script sees them: output and exit codes. */
class AuditCliTest {

    static final String DATASET = "5e".repeat(32);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    String out;
    String err;

    private int run(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        picocli.CommandLine cli = Main.newCommandLine();
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(stderr));
        int code = cli.execute(args);
        out = stdout.toString();
        err = stderr.toString();
        return code;
    }

    /** A finished run: log with run_start, one epoch, run_end; report.json; returns the final log hash. */
    private String writeRun(Path runDir, String runId, List<PrivacyEvent> events, double epsilon) throws Exception {
        String finalHash;
        try (AuditLog log = AuditLog.open(runDir, AuditKey.none())) {
            log.runStart(RunStart.builder().optRunId(runId).datasetFingerprint(DATASET).accountant("rdp").delta(1e-5)
                    .optNoiseMultiplier(1.0).sampleRate(1.0).plannedSteps(4).optPlannedEpsilon(epsilon).build());
            log.epoch(1, 4, Map.of("rdp", epsilon), 0.7, 0.6);
            // As training does: report.json and the model, then run_end binding them by SHA-256.
            Files.writeString(runDir.resolve("report.json"), "{\"private\":true,\"epsilon\":" + epsilon
                    + ",\"epsilon_breakdown\":{\"dp_sgd\":" + epsilon + "},\"accountant\":\"rdp\",\"delta\":1e-5,"
                    + "\"noise_multiplier\":1.0,\"sample_rate\":1.0,\"steps\":4,\"valid_accuracy\":0.6,"
                    + "\"valid_loss\":0.7,\"privacy_unit\":\"example\"}");
            Files.writeString(runDir.resolve("model.bin"), "weights of " + runId);
            finalHash = log.runEnd(new RunEnd(runId, 4, Map.of("rdp", epsilon), Map.of("dp_sgd", epsilon), 1e-5, events,
                    1.0, RunArtefacts.hash(runDir, List.of("model.bin", "report.json"))));
        }
        return finalHash;
    }

    private static double rdpEpsilon(PrivacyEvent... events) {
        PrivacyAccountant accountant = Accountants.newAccountant(AccountantKind.RDP);
        accountant.composeAll(List.of(events));
        return accountant.epsilon(1e-5);
    }

    @Test
    void verifyExitCodesSeparateIntactTamperedAndCrashed() throws Exception {
        Path runDir = dir.resolve("r");
        writeRun(runDir, "r", List.of(new PrivacyEvent.Gaussian(2.0, 4)), 1.0);
        Path ledger = dir.resolve("none.jsonl");
        Files.writeString(ledger, "");
        assertThat(run("audit", "verify", runDir.toString(), "--ledger", ledger.toString())).isZero();
        assertThat(out).startsWith("INTACT: 3 events");

        Path log = RunFiles.of(runDir).log();
        String original = Files.readString(log);
        Files.writeString(log, original.replaceFirst("\"validation_loss\":0.7", "\"validation_loss\":0.1"));
        assertThat(run("audit", "verify", log.toString(), "--ledger", ledger.toString())).isEqualTo(1);
        assertThat(out).startsWith("TAMPERED: line 2: hash mismatch");

        Files.writeString(log, original.substring(0, original.length() - 10));
        assertThat(run("audit", "verify", log.toString(), "--ledger", ledger.toString())).isEqualTo(3);
        assertThat(out).startsWith("INCOMPLETE: incomplete (crash): line 3: torn last line");

        assertThat(run("audit", "verify", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err).contains("LOG must be");
        assertThat(run("audit", "verify", log.toString(), "--key", "secret")).isEqualTo(2);
    }

    @Test
    void verifyOfAFileThatIsNoAuditLogIsBadInputNotTampering() throws Exception {
        Path csv = Files.writeString(dir.resolve("tickets.csv"), "id,text\n1,refund please\n");
        assertThat(run("audit", "verify", csv.toString())).as(out + err).isEqualTo(2);
        assertThat(out).isEmpty();
        assertThat(err.lines().toList()).singleElement().asString().startsWith("dplstm: ").contains(csv.toString())
                .contains("not a dplstm audit log");
    }

    @Test
    void aRunsOwnLogWhoseEveryLineWasReplacedIsTamperedNotANonLog() throws Exception {
        Path runDir = dir.resolve("r");
        writeRun(runDir, "r", List.of(new PrivacyEvent.Gaussian(2.0, 4)), 1.0);
        Path log = RunFiles.of(runDir).log();
        Files.writeString(log, "id,text\n1,refund please\n");
        assertThat(run("audit", "verify", runDir.toString())).as(out + err).isEqualTo(1);
        assertThat(out).startsWith("TAMPERED");
        assertThat(run("audit", "verify", log.toString())).as(out + err).isEqualTo(1);
        // the same bytes under another name, with the run's run.json beside them, are still the run's log
        Files.writeString(RunFiles.of(runDir).settings(), "{}");
        Path renamed = Files.move(log, runDir.resolve("log-copy.jsonl"));
        assertThat(run("audit", "verify", renamed.toString())).as(out + err).isEqualTo(1);
    }

    @Test
    void verifyChecksTheLogEndAgainstTheLedger() throws Exception {
        Path runDir = dir.resolve("r");
        String finalHash = writeRun(runDir, "r", List.of(new PrivacyEvent.Gaussian(2.0, 4)), 1.0);
        Path ledgerFile = dir.resolve("ledger.jsonl");
        Ledger.open(ledgerFile).complete(LedgerEntry.completion("r", runDir.toString(), DATASET, AccountantKind.RDP, 1e-5, 1.0,
                List.of(new PrivacyEvent.Gaussian(2.0, 4)), finalHash));
        assertThat(run("audit", "verify", runDir.toString(), "--ledger", ledgerFile.toString())).isZero();
        assertThat(out).contains("note: ledger: the log's final hash matches");

        Path log = RunFiles.of(runDir).log();
        List<String> lines = Files.readAllLines(log);
        Files.writeString(log, String.join("\n", lines.subList(0, 2)) + "\n");
        assertThat(run("audit", "verify", runDir.toString(), "--ledger", ledgerFile.toString())).isEqualTo(1);
        assertThat(out).contains("ledger recorded " + finalHash);
    }

    @Test
    void ledgerListsRunsAndComposesTheirEventsInOneAccountant() throws Exception {
        Path ledgerFile = dir.resolve("ledger.jsonl");
        Ledger ledger = Ledger.open(ledgerFile);
        ledger.complete(LedgerEntry.completion("a", "/runs/a", DATASET, AccountantKind.RDP, 1e-5, 1.0, List.of(new PrivacyEvent.Gaussian(4.0, 2)), "aa".repeat(32)));
        ledger.complete(LedgerEntry.completion("b", "/runs/b", DATASET, AccountantKind.RDP, 1e-5, 1.0, List.of(new PrivacyEvent.Gaussian(4.0, 14)), "bb".repeat(32)));
        ledger.complete(LedgerEntry.completion("c", "/runs/c", "77".repeat(32), AccountantKind.RDP, 1e-6, 9.0, List.of(new PrivacyEvent.Gaussian(0.5, 1)), "cc".repeat(32)));

        assertThat(run("ledger", "--ledger", ledgerFile.toString(), "--dataset", DATASET, "--format", "json")).isZero();
        JsonNode json = JSON.readTree(out);
        JsonNode group = json.get("datasets").get(0);
        assertThat(json.get("datasets")).hasSize(1);
        assertThat(group.get("runs")).hasSize(2);
        assertThat(group.get("accountant").asText()).isEqualTo("rdp");
        // 16 Gaussians of σ = 4 compose to one Gaussian of σ = 4/√16 = 1.
        assertThat(group.get("total_epsilon").asDouble()).isCloseTo(rdpEpsilon(new PrivacyEvent.Gaussian(1.0, 1)), within(1e-9));

        assertThat(run("ledger", "--ledger", ledgerFile.toString())).isZero();
        assertThat(out).contains("ledger " + ledgerFile + ": 3 runs").contains("dataset " + DATASET + ": 2 run(s)")
                .contains("dataset " + "77".repeat(32) + ": 1 run(s)");

        assertThat(run("ledger", "--ledger", ledgerFile.toString(), "--format", "xml")).isEqualTo(2);
        assertThat(err).contains("format must be one of text, json, was xml");
        Files.writeString(ledgerFile, Files.readString(ledgerFile).replace("\"count\":14", "\"count\":1"));
        assertThat(run("ledger", "--ledger", ledgerFile.toString())).isEqualTo(6);
        assertThat(err).contains("is damaged: line 2: hash mismatch");
    }

    @Test
    void reportPrintsMarkdownByDefaultAndJsonFiguresOnRequest() throws Exception {
        Path runDir = dir.resolve("r");
        List<PrivacyEvent> events = List.of(new PrivacyEvent.Gaussian(2.0, 4));
        double epsilon = rdpEpsilon(new PrivacyEvent.Gaussian(1.0, 1));
        writeRun(runDir, "r", events, epsilon);
        Path noLedger = dir.resolve("none.jsonl");

        assertThat(run("report", runDir.toString(), "--ledger", noLedger.toString())).isZero();
        assertThat(out).startsWith("# Privacy report: run r").contains("## Guarantee").contains("(agrees)");

        assertThat(run("report", runDir.toString(), "--format", "json", "--ledger", noLedger.toString())).isZero();
        JsonNode json = JSON.readTree(out);
        assertThat(json.get("epsilon_recomputed").asDouble()).isCloseTo(epsilon, within(1e-9));
        for (String key : List.of("epsilon", "epsilon_breakdown", "accountant", "delta", "noise_multiplier", "sample_rate", "steps")) {
            assertThat(json.has(key)).as(key).isTrue();
        }

        Path html = dir.resolve("report.html");
        assertThat(run("report", runDir.toString(), "--format", "html", "--out", html.toString(), "--ledger", noLedger.toString())).isZero();
        assertThat(Files.readString(html)).contains("data:image/png;base64,");

        assertThat(run("report", dir.resolve("nothing").toString())).isEqualTo(2);
        assertThat(run("report", runDir.toString(), "--format", "pdf")).isEqualTo(2);
        assertThat(err).contains("format must be one of markdown, html, json, was pdf");
    }

    /** Reading a report writes nothing into the run directory: markdown on standard output has no chart file. */
    @Test
    void reportOnStandardOutputLeavesTheRunDirectoryAsItWas() throws Exception {
        Path runDir = dir.resolve("r");
        writeRun(runDir, "r", List.of(new PrivacyEvent.Gaussian(2.0, 4)), rdpEpsilon(new PrivacyEvent.Gaussian(1.0, 1)));
        Map<String, byte[]> before = new java.util.TreeMap<>();
        try (var files = Files.list(runDir)) {
            for (Path file : files.toList()) {
                before.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        assertThat(run("report", runDir.toString(), "--ledger", dir.resolve("none.jsonl").toString())).as(err).isZero();
        assertThat(out).startsWith("# Privacy report: run r").doesNotContain("](").contains("--out");
        try (var files = Files.list(runDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrderElementsOf(before.keySet());
        }
        for (Map.Entry<String, byte[]> file : before.entrySet()) {
            assertThat(Files.readAllBytes(runDir.resolve(file.getKey()))).as(file.getKey()).isEqualTo(file.getValue());
        }
    }

    /**
     * run_end's ε is a claim: when its own privacy events compose to another ε, the guarantee (and
     * JSON's epsilon) states what they compose to, never the claim.
     */
    @Test
    void theGuaranteeStatesTheEpsilonThePrivacyEventsComposeToNotRunEndsClaim() throws Exception {
        Path runDir = dir.resolve("r");
        double composed = rdpEpsilon(new PrivacyEvent.Gaussian(1.0, 1));
        writeRun(runDir, "r", List.of(new PrivacyEvent.Gaussian(2.0, 4)), 0.5); // run_end and report.json claim 0.5
        Path noLedger = dir.resolve("none.jsonl");
        String stated = String.format(java.util.Locale.ROOT, "ε = %.3f", composed);

        assertThat(run("report", runDir.toString(), "--ledger", noLedger.toString())).isEqualTo(6);
        assertThat(out).contains("run_end states epsilon 0.5000 but its privacy events compose to");
        String guarantee = out.substring(out.indexOf("## Guarantee"), out.indexOf("## Plan and spending"));
        assertThat(guarantee).contains(stated).doesNotContain("ε = 0.500");
        assertThat(out).contains("| ε (total, spent) | " + String.format(java.util.Locale.ROOT, "%.4g", composed) + " |");

        assertThat(run("report", runDir.toString(), "--format", "json", "--ledger", noLedger.toString())).isEqualTo(6);
        JsonNode json = JSON.readTree(out);
        assertThat(json.get("epsilon").asDouble()).isCloseTo(composed, within(1e-9));
        assertThat(json.get("epsilon_run_end").asDouble()).isEqualTo(0.5);
        assertThat(json.get("epsilon_recomputation_agrees").asBoolean()).isFalse();
        assertThat(json.get("guarantee").asText()).contains(stated).doesNotContain("ε = 0.500");

        Path html = dir.resolve("r.html");
        assertThat(run("report", runDir.toString(), "--format", "html", "--out", html.toString(),
                "--ledger", noLedger.toString())).isEqualTo(6);
        assertThat(Files.readString(html)).contains(stated).doesNotContain("ε = 0.500");
    }

    /**
     * Events composing BELOW run_end's claim (e.g. a list edited short, composing to as little as 0)
     * never lower the stated guarantee: the larger figure, run_end's, is stated, and the breakdown
     * is marked as run_end's claim.
     */
    @Test
    void eventsComposingBelowRunEndsClaimNeverLowerTheStatedGuarantee() throws Exception {
        Path runDir = dir.resolve("r");
        double composed = rdpEpsilon(new PrivacyEvent.Gaussian(1.0, 1));
        writeRun(runDir, "r", List.of(new PrivacyEvent.Gaussian(2.0, 4)), 10.0); // run_end claims 10
        Path noLedger = dir.resolve("none.jsonl");

        assertThat(run("report", runDir.toString(), "--ledger", noLedger.toString())).isEqualTo(6);
        String guarantee = out.substring(out.indexOf("## Guarantee"), out.indexOf("## Plan and spending"));
        assertThat(guarantee).contains("ε = 10.000").contains(String.format(java.util.Locale.ROOT,
                "the privacy events run_end records compose to only %.3f", composed));
        assertThat(out).contains("| ε (total, spent) | 10.00 |")
                .contains("| dp_sgd | 10.00 (as run_end states it; its events do not support run_end's total) |");
        assertThat(run("report", runDir.toString(), "--format", "json", "--ledger", noLedger.toString())).isEqualTo(6);
        assertThat(JSON.readTree(out).get("epsilon").asDouble()).isEqualTo(10.0);
    }

    /**
     * A run without privacy has no ε to draw: its report writes and links no chart, so a file named
     * like one beside --out is not in the way (and is left as it is).
     */
    @Test
    void aReportWithoutAChartLeavesAFileNamedLikeOneAlone() throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path runDir = dir.resolve("baseline");
        CliRunner.Result trained = CliRunner.run("train", "--train", data.toString(), "--no-privacy", "--epochs", "1",
                "--batch-size", "20", "--embedding", "4", "--hidden", "4", "--threads", "1", "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", runDir.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        Path noLedger = dir.resolve("none.jsonl");
        Path reports = Files.createDirectory(dir.resolve("reports"));
        Path md = reports.resolve("baseline.md");
        Path chart = Files.writeString(reports.resolve("baseline-epsilon.png"), "the user's own picture");

        assertThat(run("report", runDir.toString(), "--out", md.toString(), "--ledger", noLedger.toString())).as(err).isZero();
        assertThat(Files.readString(md)).startsWith("# Privacy report").contains("WITHOUT differential privacy")
                .doesNotContain(chart.getFileName().toString());
        assertThat(Files.readString(chart)).isEqualTo("the user's own picture");
        assertThat(run("report", runDir.toString(), "--format", "html", "--ledger", noLedger.toString())).as(err).isZero();
        assertThat(out).doesNotContain("data:image/png");
    }

    /**
     * A chart file the user did not name (NAME-epsilon.png beside --out) is never replaced: exit 2,
     * nothing written. The file --out names is the user's to replace, as budget's --plot is.
     */
    @Test
    void anExistingChartBesideOutIsNeverReplaced() throws Exception {
        Path runDir = dir.resolve("r");
        writeRun(runDir, "r", List.of(new PrivacyEvent.Gaussian(2.0, 4)), rdpEpsilon(new PrivacyEvent.Gaussian(1.0, 1)));
        Path noLedger = dir.resolve("none.jsonl");
        Path reports = Files.createDirectory(dir.resolve("reports"));
        Path md = reports.resolve("r2rep.md");
        Path chart = reports.resolve("r2rep-epsilon.png");
        Files.writeString(chart, "the user's own picture");

        assertThat(run("report", runDir.toString(), "--out", md.toString(), "--ledger", noLedger.toString())).isEqualTo(2);
        assertThat(err).startsWith("dplstm: ").contains(chart.toString()).contains("already exists");
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(md).doesNotExist();
        assertThat(Files.readString(chart)).isEqualTo("the user's own picture");
        try (var files = Files.list(reports)) {
            assertThat(files).containsExactly(chart); // no temporary file either
        }

        Files.delete(chart);
        Files.writeString(md, "an older report");
        assertThat(run("report", runDir.toString(), "--out", md.toString(), "--ledger", noLedger.toString())).as(err).isZero();
        assertThat(Files.readString(md)).startsWith("# Privacy report").contains("](r2rep-epsilon.png)");
        assertThat(chart).exists();

        // the same report written again replaces its own chart: --out is the report that links it
        Files.writeString(chart, "the chart of the report before");
        assertThat(run("report", runDir.toString(), "--out", md.toString(), "--ledger", noLedger.toString())).as(err).isZero();
        assertThat(Files.readAllBytes(chart)).isNotEqualTo("the chart of the report before".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // but not beside an --out that does not link it
        Files.writeString(md, "notes that link no chart");
        assertThat(run("report", runDir.toString(), "--out", md.toString(), "--ledger", noLedger.toString())).isEqualTo(2);
        assertThat(Files.readString(md)).isEqualTo("notes that link no chart");
    }
}
