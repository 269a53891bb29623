package org.dplstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.dplstm.audit.ledger.Ledger;
import org.dplstm.audit.ledger.LedgerRun;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dplstm ledger}: every run on a dataset and the privacy they spent together. */
@Command(
        name = "ledger",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "List the runs recorded in the privacy ledger, grouped by dataset fingerprint, with the "
                    + "total ε each dataset has spent: all its runs' privacy events composed in ONE "
                    + "accountant (not a sum of the runs' ε). A private run is recorded when it starts: "
                    + "'reserved' runs (still training, or killed and not yet resumed) count with their "
                    + "planned ε, 'complete' and 'abandoned' ones with what they spent. The ledger is "
                    + "hash-chained like an audit log; a ledger that cannot be read completely (an edited "
                    + "line, a torn first or last line) is reported and never rewritten.",
        },
        subcommands = {LedgerAbandonCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "2:bad input", "6:the ledger is damaged (named; nothing listed, nothing written)"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./dplstm ledger",
            "  ./dplstm ledger --dataset 3f5a...e1 --format json --ledger shared/ledger.jsonl",
            "  ./dplstm ledger abandon runs/killed      # release a killed run with what it spent so far"
        })
public final class LedgerCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "FINGERPRINT", description = "Only this dataset (64 hex digits).")
    String dataset;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--ledger", paramLabel = "FILE", description = "Ledger file (default: DPLSTM_LEDGER, else ~/.dplstm/ledger.jsonl).")
    Path ledgerFile;

    @Option(names = "--accountant", paramLabel = "KIND",
            description = "Accountant for the totals: pld or rdp (default: the runs' own when they all used one, else pld).")
    String accountant;

    @Option(names = "--delta", paramLabel = "D",
            description = "δ of the totals (default: the smallest δ among the dataset's runs, as --dataset-budget uses).")
    Double delta;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("format must be one of text, json, was " + format);
        }
        if (dataset != null && !dataset.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("dataset must be a fingerprint of 64 lower-case hex digits, was " + dataset);
        }
        if (delta != null) {
            Checks.openUnitInterval("delta", delta);
        }
        Optional<AccountantKind> forcedKind = Optional.ofNullable(accountant).map(AccountantKind::parse);
        Ledger ledger = Ledger.open(Ledger.resolve(Optional.ofNullable(ledgerFile))); // damaged: exit 6

        Map<String, List<LedgerRun>> byDataset = new LinkedHashMap<>();
        for (LedgerRun run : ledger.runs()) {
            if (dataset == null || dataset.equals(run.datasetFingerprint())) {
                byDataset.computeIfAbsent(run.datasetFingerprint(), k -> new java.util.ArrayList<>()).add(run);
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("ledger", ledger.path().toString());
        ArrayNode datasets = root.putArray("datasets");
        PrintWriter out = spec.commandLine().getOut();
        boolean text = format.equals("text");
        if (text) {
            out.println("ledger " + ledger.path() + ": " + ledger.runs().size() + (ledger.runs().size() == 1 ? " run" : " runs"));
            if (byDataset.isEmpty()) {
                out.println(dataset == null ? "no runs recorded" : "no runs recorded on dataset " + dataset);
            }
        }
        for (Map.Entry<String, List<LedgerRun>> group : byDataset.entrySet()) {
            List<LedgerRun> runs = group.getValue();
            AccountantKind kind = forcedKind.orElseGet(() -> commonAccountant(runs));
            double totalDelta = delta != null ? delta : ledger.datasetDelta(group.getKey());
            double total = ledger.totalEpsilon(group.getKey(), totalDelta, kind);
            ObjectNode node = datasets.addObject();
            node.put("dataset_fingerprint", group.getKey());
            node.put("total_epsilon", total);
            node.put("delta", totalDelta);
            node.put("accountant", kind.id());
            ArrayNode runsNode = node.putArray("runs");
            for (LedgerRun run : runs) {
                ObjectNode r = runsNode.addObject();
                r.put("time", run.time());
                r.put("run_id", run.runId());
                r.put("status", status(run));
                r.put("run_dir", run.runDir());
                r.put("epsilon", run.epsilon());
                r.put("delta", run.delta());
                r.put("accountant", run.accountant());
                r.set("privacy_events", PrivacyEventJson.toJson(run.privacyEvents()));
                r.put("log_hash", run.finalLogHash().orElse(null));
            }
            if (text) {
                out.printf(Locale.ROOT, "%ndataset %s: %d run(s), total ε = %.4f at δ = %.3g (%s, all runs composed)%n",
                        group.getKey(), runs.size(), total, totalDelta, kind.id());
                for (LedgerRun run : runs) {
                    out.printf(Locale.ROOT, "  %s  %-36s  %-9s  ε = %.4f%s  δ = %.3g  %s  %s%s%n", run.time(), run.runId(),
                            status(run), run.epsilon(), run.status() == LedgerLookup.Status.RESERVED ? " (planned)" : "",
                            run.delta(), run.accountant(), run.runDir(),
                            run.finalLogHash().map(h -> "  log " + h.substring(0, 16)).orElse(""));
                }
            }
        }
        if (!text) {
            out.print(json.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n");
        }
        out.flush();
        return 0;
    }

    private static String status(LedgerRun run) {
        return run.status().name().toLowerCase(Locale.ROOT);
    }

    private static AccountantKind commonAccountant(List<LedgerRun> runs) {
        String first = runs.get(0).accountant();
        boolean same = runs.stream().allMatch(r -> r.accountant().equals(first));
        return same ? AccountantKind.parse(first) : AccountantKind.PLD;
    }
}
