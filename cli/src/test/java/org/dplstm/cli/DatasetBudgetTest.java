package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset budget cannot be overspent (ARCHITECTURE §6): a run's planned ε counts from the moment
 * it starts (a reservation in the ledger, checked and appended as one decision), until its end is
 * recorded or it is abandoned with what it spent; a ledger that cannot be read completely admits
 * nothing and is never rewritten.
 */
class DatasetBudgetTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two runs of --epsilon 3 on the same data compose to more than 4: a budget of 4 admits one. */
    private static final String BUDGET = "4";

    @TempDir Path dir;

    private Path data() throws Exception {
        return TicketFiles.jsonl(dir, "train.jsonl", 200, "billing", "access");
    }

    private static List<String> train(Path data, Path out, Path ledger, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--epsilon", "3",
                "--delta", "1e-3", "--batch-size", "40", "--embedding", "4", "--hidden", "4",
                "--vocab-size", "32", "--max-length", "6", "--out", out.toString(), "--ledger", ledger.toString()));
        args.addAll(List.of(extra));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "1"));
        }
        return args;
    }

    private static CliRunner.Result run(List<String> args) {
        return CliRunner.run(args.toArray(String[]::new));
    }

    private static double total(Path ledger) throws Exception {
        CliRunner.Result listed = CliRunner.run("ledger", "--ledger", ledger.toString(), "--format", "json");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        return JSON.readTree(listed.out()).get("datasets").get(0).get("total_epsilon").asDouble();
    }

    private static List<String> types(Path ledger) throws Exception {
        List<String> types = new ArrayList<>();
        for (String line : Files.readAllLines(ledger)) {
            types.add(JSON.readTree(line).get("type").asText());
        }
        return types;
    }

    /**
     * A private run killed with SIGKILL after its first epoch was logged: its directory holds a
     * log without run_end, its checkpoint, and the ledger only its reservation.
     */
    private Path killedRun(Path data, Path out, Path ledger) throws Exception {
        Path output = dir.resolve(out.getFileName() + ".txt");
        Process process = CliProcess.start(output, train(data, out, ledger, "--epochs", "60").toArray(String[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Path log = out.resolve("audit.jsonl");
        while (process.isAlive() && System.nanoTime() < deadline
                && !(Files.exists(log) && Files.readString(log).contains("\"type\":\"epoch\""))) {
            Thread.sleep(10);
        }
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(types(ledger)).as(Files.readString(output)).containsExactly("reservation");
        return out;
    }

    @Test
    void twoTrainsStartedTogetherUnderABudgetForOneAreNeverBothAdmitted() throws Exception {
        Path data = data();
        for (int round = 0; round < 2; round++) {
            Path ledger = dir.resolve("ledger-" + round + ".jsonl");
            Path firstOutput = dir.resolve("first-" + round + ".txt");
            Path secondOutput = dir.resolve("second-" + round + ".txt");
            Process first = CliProcess.start(firstOutput, train(data, dir.resolve("a" + round), ledger,
                    "--dataset-budget", BUDGET).toArray(String[]::new));
            Process second = CliProcess.start(secondOutput, train(data, dir.resolve("b" + round), ledger,
                    "--dataset-budget", BUDGET).toArray(String[]::new));
            assertThat(first.waitFor(120, TimeUnit.SECONDS) && second.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String outputs = Files.readString(firstOutput) + Files.readString(secondOutput);
            assertThat(List.of(first.exitValue(), second.exitValue())).as(outputs).containsExactlyInAnyOrder(0, 2);
            assertThat(outputs).contains("dataset budget 4.000 would be exceeded");
            assertThat(dir.resolve(first.exitValue() == 0 ? "b" + round : "a" + round)).doesNotExist();
            assertThat(total(ledger)).isLessThanOrEqualTo(4.0).isGreaterThan(2.9);
        }
    }

    /**
     * A later run's looser δ does not loosen the dataset's history (the black-box reproduction: a
     * run at --delta 0.5 passed a budget the earlier runs exceed, and the ledger's total fell when
     * it was added). The budget and the total are evaluated at the smallest δ any run on the
     * dataset used, so ε(δ) falling as δ grows cannot be used to overspend.
     */
    @Test
    void aLaterRunsLooseDeltaNeitherPassesTheBudgetNorLowersTheLedgersTotal() throws Exception {
        Path data = data();
        Path ledger = dir.resolve("ledger.jsonl");
        assertThat(run(train(data, dir.resolve("first"), ledger)).exitCode()).isZero();
        double first = total(ledger);
        // One run of --epsilon 3 at δ = 1e-3: the dataset's total is that run's ε, at most 3.
        assertThat(first).isGreaterThan(2.9).isLessThanOrEqualTo(3.0);

        // The plan of a second --epsilon 3 run can only add to 3 (a budget of 4 admits one run of
        // the pair, as twoTrainsStartedTogether... shows), whatever its own δ.
        Path loose = dir.resolve("loose");
        CliRunner.Result refused = run(withDelta(train(data, loose, ledger, "--dataset-budget", BUDGET), "0.5"));
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("dataset budget 4.000 would be exceeded").contains("delta 1.0e-03");
        assertThat(refused.err().lines().filter(l -> l.startsWith("dplstm: ")).count()).isEqualTo(1);
        assertThat(loose).doesNotExist();
        assertThat(types(ledger)).containsExactly("reservation", "run");

        // Recorded without a budget, it still adds to the total, which stays at δ = 1e-3.
        CliRunner.Result admitted = run(withDelta(train(data, loose, ledger), "0.5"));
        assertThat(admitted.exitCode()).as(admitted.err()).isZero();
        JsonNode dataset = ledgerJson(ledger).get("datasets").get(0);
        assertThat(dataset.get("delta").asDouble()).isEqualTo(1e-3);
        assertThat(dataset.get("total_epsilon").asDouble()).as("adding a run never lowers the total")
                .isGreaterThan(first).isGreaterThan(4.0);
    }

    private static List<String> withDelta(List<String> args, String delta) {
        List<String> changed = new ArrayList<>(args);
        changed.set(changed.indexOf("--delta") + 1, delta);
        return changed;
    }

    private static JsonNode ledgerJson(Path ledger) throws Exception {
        CliRunner.Result listed = CliRunner.run("ledger", "--ledger", ledger.toString(), "--format", "json");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        return JSON.readTree(listed.out());
    }

    @Test
    void aRunStoppedBetweenRunEndAndItsLedgerCompletionStaysReservedAndVerifiesAsIncomplete() throws Exception {
        Path data = data();
        Path ledger = dir.resolve("ledger.jsonl");
        Path first = dir.resolve("first");
        assertThat(run(train(data, first, ledger)).exitCode()).isZero();
        // What a kill after run_end and before the completion leaves: the reservation alone.
        List<String> lines = Files.readAllLines(ledger);
        assertThat(types(ledger)).containsExactly("reservation", "run");
        Files.write(ledger, lines.subList(0, 1));

        CliRunner.Result verified = CliRunner.run("audit", "verify", first.toString(), "--ledger", ledger.toString());
        assertThat(verified.exitCode()).as(verified.out()).isEqualTo(3);
        assertThat(verified.out()).startsWith("INCOMPLETE: ").contains("ends with run_end")
                .contains("holds only the reservation").contains("train --resume");
        // Its planned ε already counts: the next run is refused as if the first had been recorded.
        Path second = dir.resolve("second");
        CliRunner.assertOverBudgetRefused(train(data, second, ledger, "--dataset-budget", BUDGET), second, ledger);

        CliRunner.Result completed = CliRunner.run("train", "--resume", first.toString(), "--ledger", ledger.toString());
        assertThat(completed.exitCode()).as(completed.err()).isZero();
        assertThat(types(ledger)).containsExactly("reservation", "run");
        CliRunner.Result intact = CliRunner.run("audit", "verify", first.toString(), "--ledger", ledger.toString());
        assertThat(intact.exitCode()).as(intact.out()).isZero();
        assertThat(intact.out()).contains("ledger: the log's final hash matches");
    }

    @Test
    void aLedgerOnAFullDiskFailsTheRunWithOneLineAndKeepsItsBudgetReserved() throws Exception {
        Path data = data();
        Optional<SmallDisk> disk = SmallDisk.mount(dir.resolve("small"), 256);
        assumeTrue(disk.isPresent(), SmallDisk.SKIPPED);
        try (SmallDisk small = disk.get()) {
            Path ledger = small.path().resolve("ledger.jsonl");
            // A long run directory makes each ledger line about 2 KB: the reservation fits in the
            // ledger's first page, its completion needs a second one, which the full disk refuses.
            Path run = dir;
            for (int level = 0; level < 8; level++) {
                run = run.resolve(String.valueOf((char) ('a' + level)).repeat(200));
            }
            // The disk fills up once the reservation is written, before the run ends.
            CompletableFuture<Void> filler = CompletableFuture.runAsync(() -> {
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (!(Files.exists(ledger) && Files.readString(ledger).contains("\"reservation\""))
                            && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                    small.fill();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            CliRunner.Result failed = run(train(data, run, ledger, "--epochs", "8"));
            filler.get(60, TimeUnit.SECONDS);
            assertThat(failed.exitCode()).as(failed.err()).isEqualTo(5);
            assertThat(failed.err().lines().filter(l -> l.startsWith("dplstm: ")).toList()).singleElement().asString()
                    .contains("cannot record the end of run").contains("No space left on device")
                    .contains("stays reserved");
            assertThat(failed.err()).doesNotContain("\tat ");
            assertThat(types(ledger)).containsExactly("reservation");
            assertThat(CliRunner.run("audit", "verify", run.toString(), "--ledger", ledger.toString()).exitCode())
                    .isEqualTo(3);

            small.free();
            CliRunner.Result completed = CliRunner.run("train", "--resume", run.toString(), "--ledger", ledger.toString());
            assertThat(completed.exitCode()).as(completed.err()).isZero();
            assertThat(types(ledger)).containsExactly("reservation", "run");
        }
    }

    @Test
    void aLedgerThatCannotBeReadCompletelyIsReportedAndRefusesRunsAndIsNeverRewritten() throws Exception {
        Path data = data();
        Path ledger = dir.resolve("ledger.jsonl");
        assertThat(run(train(data, dir.resolve("first"), ledger)).exitCode()).isZero();
        String intact = Files.readString(ledger);
        String[] lines = intact.split("\n");
        List<String> damaged = List.of(
                intact + "{\"seq\":3,\"time\":\"20",                               // torn last line
                lines[0].substring(0, 40),                                          // torn first (only) line
                intact.replaceFirst("\"epsilon\":[0-9.]+", "\"epsilon\":0.1"));     // an edited line
        for (String content : damaged) {
            Files.writeString(ledger, content);
            CliRunner.Result listed = CliRunner.run("ledger", "--ledger", ledger.toString());
            assertThat(listed.exitCode()).as(listed.out() + listed.err()).isEqualTo(6);
            assertThat(listed.err().trim()).startsWith("dplstm: ledger " + ledger + " is damaged: line ")
                    .doesNotContain("\n");
            Path refused = dir.resolve("refused");
            for (List<String> args : List.of(train(data, refused, ledger, "--dataset-budget", "100"),
                    train(data, refused, ledger))) {
                CliRunner.Result train = run(args);
                assertThat(train.exitCode()).as(train.err()).isEqualTo(2);
                assertThat(train.err()).contains("is damaged").contains("no run is recorded in it");
                assertThat(refused).doesNotExist();
            }
            assertThat(CliRunner.run("audit", "verify", dir.resolve("first").toString(), "--ledger", ledger.toString())
                    .exitCode()).isEqualTo(6);
            assertThat(Files.readString(ledger)).as("never rewritten").isEqualTo(content);
        }
    }

    @Test
    void anAbandonedRunCountsWhatItSpentUntilItStoppedAndIsNotResumed() throws Exception {
        Path data = data();
        Path ledger = dir.resolve("ledger.jsonl");
        Path killed = killedRun(data, dir.resolve("killed"), ledger);
        JsonNode checkpoint = lastCheckpointEvent(killed);
        assertThat(checkpoint.get("steps").asLong()).isPositive();
        double planned = total(ledger);
        Path second = dir.resolve("second");
        CliRunner.Result over = run(train(data, second, ledger, "--dataset-budget", BUDGET));
        assertThat(over.exitCode()).isEqualTo(2);
        Matcher wouldBe = Pattern.compile("the total would be ([0-9.]+)").matcher(over.err());
        assertThat(wouldBe.find()).as(over.err()).isTrue();
        // Just below what the second run's plan and the killed run's reservation compose to.
        String tightBudget = Double.toString(Double.parseDouble(wouldBe.group(1)) * 0.999);
        CliRunner.assertOverBudgetRefused(train(data, second, ledger, "--dataset-budget", tightBudget), second, ledger);

        CliRunner.Result abandoned = CliRunner.run("ledger", "abandon", killed.toString(), "--ledger", ledger.toString());
        assertThat(abandoned.exitCode()).as(abandoned.err()).isZero();
        assertThat(types(ledger)).containsExactly("reservation", "abandon");
        JsonNode abandon = JSON.readTree(Files.readAllLines(ledger).get(1));
        assertThat(abandon.get("privacy_events")).isEqualTo(checkpoint.get("privacy_events"));
        assertThat(total(ledger)).isLessThan(planned);
        CliRunner.Result verified = CliRunner.run("audit", "verify", killed.toString(), "--ledger", ledger.toString());
        assertThat(verified.exitCode()).isEqualTo(3);
        assertThat(verified.out()).contains("was abandoned");

        CliRunner.Result resumed = CliRunner.run("train", "--resume", killed.toString(), "--ledger", ledger.toString());
        assertThat(resumed.exitCode()).isEqualTo(2);
        assertThat(resumed.err()).contains("was abandoned");
        assertThat(CliRunner.run("ledger", "abandon", killed.toString(), "--ledger", ledger.toString()).exitCode())
                .isEqualTo(2);
        // What the abandoned run spent leaves room for a second run under the budget.
        CliRunner.Result admitted = run(train(data, second, ledger, "--dataset-budget", tightBudget));
        assertThat(admitted.exitCode()).as(admitted.err()).isZero();
        assertThat(types(ledger)).containsExactly("reservation", "abandon", "reservation", "run");
    }

    private static JsonNode lastCheckpointEvent(Path run) throws Exception {
        JsonNode last = null;
        for (String line : Files.readAllLines(run.resolve("audit.jsonl"))) {
            JsonNode event = JSON.readTree(line);
            if (event.get("type").asText().equals("checkpoint")) {
                last = event;
            }
        }
        return last;
    }

    /**
     * Lines cut off the end of a killed run's log look like an earlier crash, but its checkpoint
     * in place is then not the one the last remaining checkpoint event names: abandoning it would
     * count fewer steps than it took, and is refused.
     */
    @Test
    void aKilledRunWhoseLogLostItsLastLinesIsNotAbandonedWithLess() throws Exception {
        Path ledger = dir.resolve("ledger.jsonl");
        Path killed = killedRun(data(), dir.resolve("killed"), ledger);
        List<String> log = Files.readAllLines(killed.resolve("audit.jsonl"));
        byte[] ledgerBefore = Files.readAllBytes(ledger);
        // Cut after the start's checkpoint event (no step), then before any checkpoint event.
        for (int keep : List.of(3, 2)) {
            Files.write(killed.resolve("audit.jsonl"), log.subList(0, keep));
            CliRunner.Result refused = CliRunner.run("ledger", "abandon", killed.toString(), "--ledger", ledger.toString());
            assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("checkpoint.bin").contains("lines were cut off");
            assertThat(Files.readAllBytes(ledger)).isEqualTo(ledgerBefore);
        }
    }

    /**
     * Two copies of a killed run resumed together would each take its remaining steps with fresh
     * noise, and the ledger would count the run once: only the directory the ledger records for
     * the run is resumed or abandoned.
     */
    @Test
    void aCopyOfAKilledRunIsNeitherResumedNorAbandoned() throws Exception {
        Path data = data();
        Path ledger = dir.resolve("ledger.jsonl");
        Path killed = killedRun(data, dir.resolve("killed"), ledger);
        Path copy = dir.resolve("copy");
        try (java.util.stream.Stream<Path> files = Files.list(killed)) {
            Files.createDirectory(copy);
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        byte[] ledgerBefore = Files.readAllBytes(ledger);
        for (String[] args : List.of(new String[] {"train", "--resume", copy.toString(), "--ledger", ledger.toString()},
                new String[] {"ledger", "abandon", copy.toString(), "--ledger", ledger.toString()})) {
            CliRunner.Result refused = CliRunner.run(args);
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains("is recorded in the ledger for " + killed.toAbsolutePath())
                    .contains("copy");
            assertThat(Files.readAllBytes(ledger)).isEqualTo(ledgerBefore);
        }
        assertThat(copy.resolve("audit.jsonl")).hasSameBinaryContentAs(killed.resolve("audit.jsonl"));
        CliRunner.Result resumed = CliRunner.run("train", "--resume", killed.toString(), "--ledger", ledger.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(types(ledger)).containsExactly("reservation", "run");
    }
}
