package org.dplstm.audit.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.dplstm.audit.verify.LedgerLookup;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {

    static final String DATASET = "12".repeat(32);
    static final String OTHER_DATASET = "34".repeat(32);

    @TempDir Path dir;

    private static LedgerEntry run(String id, String dataset, List<PrivacyEvent> events) {
        return LedgerEntry.completion(id, "/runs/" + id, dataset, AccountantKind.RDP, 1e-5, 1.0, events, "ab".repeat(32));
    }

    /** Exact ε of the Gaussian mechanism, sensitivity 1, noise σ (Balle & Wang 2018, Thm 8), by bisection. */
    static double exactGaussianEpsilon(double sigma, double delta) {
        NormalDistribution phi = new NormalDistribution();
        double mu = 1 / sigma;
        double lo = 0;
        double hi = 100;
        for (int i = 0; i < 200; i++) {
            double eps = (lo + hi) / 2;
            double d = phi.cumulativeProbability(-eps / mu + mu / 2)
                    - Math.exp(eps) * phi.cumulativeProbability(-eps / mu - mu / 2);
            if (d > delta) {
                lo = eps;
            } else {
                hi = eps;
            }
        }
        return hi;
    }

    @Test
    void totalComposesAllRunsOfADatasetInOneAccountantLikeOneGaussianOfSigmaOverRootK() throws Exception {
        Ledger ledger = Ledger.open(dir.resolve("ledger.jsonl"));
        double sigma = 3.0;
        ledger.complete(run("a", DATASET, List.of(new PrivacyEvent.Gaussian(sigma, 3))));
        ledger.complete(run("b", DATASET, List.of(new PrivacyEvent.PoissonGaussian(1.0, sigma, 5))));
        ledger.complete(run("c", OTHER_DATASET, List.of(new PrivacyEvent.Gaussian(0.5, 100))));

        double total = Ledger.open(ledger.path()).totalEpsilon(DATASET, 1e-5, AccountantKind.RDP);

        // k Gaussians of noise σ (sensitivity 1) are one Gaussian of noise σ/√k.
        PrivacyAccountant combined = Accountants.newAccountant(AccountantKind.RDP);
        combined.compose(new PrivacyEvent.Gaussian(sigma / Math.sqrt(8), 1));
        assertThat(total).isCloseTo(combined.epsilon(1e-5), within(1e-9));
        // RDP is an upper bound on the exact (Balle-Wang) ε of that single Gaussian, and not a loose one.
        double exact = exactGaussianEpsilon(sigma / Math.sqrt(8), 1e-5);
        assertThat(total).isGreaterThanOrEqualTo(exact).isLessThan(exact * 1.25);
    }

    @Test
    void pldTotalOfTwoRunsMatchesTheExactGaussianClosedForm() throws Exception {
        Ledger ledger = Ledger.open(dir.resolve("ledger.jsonl"));
        ledger.complete(run("a", DATASET, List.of(new PrivacyEvent.Gaussian(3.0, 3))));
        ledger.complete(run("b", DATASET, List.of(new PrivacyEvent.Gaussian(3.0, 5))));
        double total = ledger.totalEpsilon(DATASET, 1e-5, AccountantKind.PLD);
        double exact = exactGaussianEpsilon(3.0 / Math.sqrt(8), 1e-5);
        // PLD is pessimistic (never below the exact value) and tight.
        assertThat(total).isGreaterThanOrEqualTo(exact - 1e-9).isCloseTo(exact, within(0.02 * exact));
    }

    @Test
    void plannedTotalAddsTheNextRunAndNothingIsWritten() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        Ledger ledger = Ledger.open(file);
        assertThat(Files.exists(file)).isFalse();
        assertThat(ledger.totalEpsilon(DATASET, 1e-5, AccountantKind.RDP)).isZero();
        ledger.complete(run("a", DATASET, List.of(new PrivacyEvent.Gaussian(2.0, 4))));
        byte[] before = Files.readAllBytes(file);

        double planned = ledger.plannedTotalEpsilon(DATASET, List.of(new PrivacyEvent.Gaussian(2.0, 12)), 1e-5, AccountantKind.RDP);
        PrivacyAccountant combined = Accountants.newAccountant(AccountantKind.RDP);
        combined.compose(new PrivacyEvent.Gaussian(2.0 / 4.0, 1));
        assertThat(planned).isCloseTo(combined.epsilon(1e-5), within(1e-9));
        assertThat(planned).isGreaterThan(ledger.totalEpsilon(DATASET, 1e-5, AccountantKind.RDP));
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    /**
     * A later run's looser δ must not loosen the dataset's history: the budget check and the total
     * compose every run at the smallest δ any of them used (the new run's included), so a run
     * planned at δ = 0.5 cannot pass a budget that its plan and the earlier runs exceed at δ =
     * 1e-5, and adding a run never lowers the total. The figures are the exact Gaussian
     * mechanism's (Balle-Wang): k Gaussians of noise σ are one of σ/√k, and RDP never bounds
     * below the exact ε.
     */
    @Test
    void aLaterRunsLooseDeltaNeitherPassesTheBudgetNorLowersTheTotal() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        Ledger ledger = Ledger.open(file);
        List<PrivacyEvent> each = List.of(new PrivacyEvent.Gaussian(2.0, 4));
        ledger.complete(LedgerEntry.completion("a", "/runs/a", DATASET, AccountantKind.RDP, 1e-5, 1.0, each, "aa".repeat(32)));
        ledger.complete(LedgerEntry.completion("b", "/runs/b", DATASET, AccountantKind.RDP, 1e-5, 1.0, each, "bb".repeat(32)));
        double before = ledger.totalEpsilon(DATASET, ledger.datasetDelta(DATASET), AccountantKind.RDP);
        // 8 Gaussians of σ = 2 are one of σ = 2/√8; at δ = 1e-5 and at δ = 0.5 exactly:
        double strict = exactGaussianEpsilon(2.0 / Math.sqrt(8), 1e-5);
        assertThat(before).isGreaterThanOrEqualTo(strict);
        // With the plan (4 more: 12 Gaussians of σ = 2, one of σ = 2/√12), exactly at each δ:
        double withPlanStrict = exactGaussianEpsilon(2.0 / Math.sqrt(12), 1e-5);
        double withPlanLoose = exactGaussianEpsilon(2.0 / Math.sqrt(12), 0.5);
        assertThat(withPlanLoose).as("the loose δ makes the history look cheap").isLessThan(strict / 2);
        // A budget the history alone fits at δ = 0.5 but not at the δ the earlier runs used.
        double budget = strict / 2;
        byte[] unchanged = Files.readAllBytes(file);
        assertThatThrownBy(() -> ledger.reserve(LedgerEntry.reservation("c", "/runs/c", DATASET, AccountantKind.RDP,
                0.5, 0.1, each), budget)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dataset budget").hasMessageContaining("delta 1.0e-05");
        assertThat(Files.readAllBytes(file)).as("a refusal appends nothing").isEqualTo(unchanged);
        double planned = ledger.plannedTotalEpsilon(DATASET, each, ledger.datasetDelta(DATASET, 0.5), AccountantKind.RDP);
        assertThat(planned).isGreaterThanOrEqualTo(withPlanStrict).isGreaterThan(budget);

        // Recorded anyway (no budget): the dataset's total still counts it at δ = 1e-5 and grows.
        ledger.reserve(LedgerEntry.reservation("c", "/runs/c", DATASET, AccountantKind.RDP, 0.5, 0.1, each), Double.NaN);
        assertThat(ledger.datasetDelta(DATASET)).isEqualTo(1e-5);
        double after = ledger.totalEpsilon(DATASET, ledger.datasetDelta(DATASET), AccountantKind.RDP);
        assertThat(after).isGreaterThanOrEqualTo(withPlanStrict).isGreaterThan(before);
        // A run at a smaller δ lowers the dataset's δ for everything: never a smaller total.
        ledger.reserve(LedgerEntry.reservation("d", "/runs/d", DATASET, AccountantKind.RDP, 1e-9, 0.1, List.of()), Double.NaN);
        assertThat(ledger.datasetDelta(DATASET)).isEqualTo(1e-9);
        assertThat(ledger.totalEpsilon(DATASET, ledger.datasetDelta(DATASET), AccountantKind.RDP)).isGreaterThan(after);
        assertThat(ledger.datasetDelta(OTHER_DATASET, 0.25)).as("a dataset without runs: the new run's").isEqualTo(0.25);
    }

    @Test
    void entriesRoundTripAndTheLedgerAnswersFinalHashesByRunId() throws Exception {
        Ledger ledger = Ledger.open(dir.resolve("sub/ledger.jsonl"));
        List<PrivacyEvent> events = List.of(new PrivacyEvent.PoissonGaussian(0.01, 1.1, 100),
                new PrivacyEvent.Gaussian(5.0, 1), new PrivacyEvent.ThresholdDelta(1e-7));
        ledger.complete(LedgerEntry.completion("r1", "/runs/r1", DATASET, AccountantKind.PLD, 1e-5, 2.5, events, "cd".repeat(32)));
        Ledger reopened = Ledger.open(ledger.path());
        assertThat(reopened.entries()).hasSize(1);
        LedgerEntry entry = reopened.entries().get(0);
        assertThat(entry.privacyEvents()).isEqualTo(events);
        assertThat(entry.accountant()).isEqualTo("pld");
        assertThat(entry.time()).isNotEmpty();
        assertThat(reopened.run("r1").flatMap(LedgerRun::finalLogHash)).contains("cd".repeat(32));
        assertThat(reopened.run("r2")).isEqualTo(Optional.empty());
    }

    @Test
    void anEditedLedgerIsRefused() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        Ledger ledger = Ledger.open(file);
        ledger.complete(run("a", DATASET, List.of(new PrivacyEvent.Gaussian(2.0, 4))));
        ledger.complete(run("b", DATASET, List.of(new PrivacyEvent.Gaussian(2.0, 4))));
        // Lowering what a run spent is exactly the edit a ledger must catch.
        Files.writeString(file, Files.readString(file).replaceFirst("\"count\":4", "\"count\":1"));
        assertThatThrownBy(() -> Ledger.open(file)).isInstanceOf(LedgerDamagedException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> ledger.complete(run("c", DATASET, List.of()))).isInstanceOf(LedgerDamagedException.class);
    }

    @Test
    void aRunCountsItsPlanWhileReservedAndWhatItSpentOnceCompleteOrAbandoned() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        Ledger ledger = Ledger.open(file);
        List<PrivacyEvent> plan = List.of(new PrivacyEvent.Gaussian(2.0, 8));
        List<PrivacyEvent> spent = List.of(new PrivacyEvent.Gaussian(2.0, 2));
        ledger.reserve(LedgerEntry.reservation("a", "/runs/a", DATASET, AccountantKind.RDP, 1e-5, 3.0, plan), Double.NaN);
        ledger.reserve(LedgerEntry.reservation("b", "/runs/b", DATASET, AccountantKind.RDP, 1e-5, 3.0, plan), Double.NaN);
        // 16 Gaussians of σ = 2 are one of σ = 2/4.
        assertThat(ledger.totalEpsilon(DATASET, 1e-5, AccountantKind.RDP)).isCloseTo(rdp(0.5), within(1e-9));

        ledger.complete(LedgerEntry.completion("a", "/runs/a", DATASET, AccountantKind.RDP, 1e-5, 1.0, spent, "aa".repeat(32)));
        ledger.abandon(LedgerEntry.abandonment("b", "/runs/b", DATASET, AccountantKind.RDP, 1e-5, 1.0, spent, "bb".repeat(32)));
        Ledger reopened = Ledger.open(file);
        assertThat(reopened.runs()).extracting(LedgerRun::status)
                .containsExactly(LedgerLookup.Status.COMPLETE, LedgerLookup.Status.ABANDONED);
        assertThat(reopened.totalEpsilon(DATASET, 1e-5, AccountantKind.RDP)).isCloseTo(rdp(1.0), within(1e-9));
        assertThat(reopened.run("b").flatMap(LedgerRun::finalLogHash)).contains("bb".repeat(32));

        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> reopened.abandon(LedgerEntry.abandonment("a", "/runs/a", DATASET, AccountantKind.RDP,
                1e-5, 1.0, spent, "aa".repeat(32)))).hasMessageContaining("only a reserved run can be abandoned");
        assertThatThrownBy(() -> reopened.reserve(LedgerEntry.reservation("a", "/runs/a", DATASET, AccountantKind.RDP,
                1e-5, 3.0, plan), Double.NaN)).hasMessageContaining("already recorded");
        assertThatThrownBy(() -> reopened.reserve(LedgerEntry.reservation("c", "/runs/c", DATASET, AccountantKind.RDP,
                1e-5, 3.0, plan), rdp(1.0))).hasMessageContaining("dataset budget");
        assertThat(Files.readAllBytes(file)).as("refusals append nothing").isEqualTo(before);
    }

    @Test
    void aTornLineIsDamageThatIsReportedAndNeverRepaired() throws Exception {
        Path file = dir.resolve("ledger.jsonl");
        Ledger.open(file).complete(run("a", DATASET, List.of(new PrivacyEvent.Gaussian(2.0, 4))));
        String intact = Files.readString(file);
        for (String torn : List.of(intact + "{\"seq\":2,\"ti", intact.substring(0, 30))) {
            Files.writeString(file, torn);
            assertThatThrownBy(() -> Ledger.open(file)).isInstanceOf(LedgerDamagedException.class)
                    .hasMessageContaining("is torn");
            assertThat(Files.readString(file)).isEqualTo(torn);
        }
    }

    private static double rdp(double sigma) {
        PrivacyAccountant accountant = Accountants.newAccountant(AccountantKind.RDP);
        accountant.compose(new PrivacyEvent.Gaussian(sigma, 1));
        return accountant.epsilon(1e-5);
    }

    @Test
    void locationComesFromOptionThenEnvironmentThenHome() {
        assertThat(Ledger.resolve(Optional.of(Path.of("x.jsonl")), Map.of(Ledger.ENVIRONMENT_VARIABLE, "y.jsonl")))
                .isEqualTo(Path.of("x.jsonl"));
        assertThat(Ledger.resolve(Optional.empty(), Map.of(Ledger.ENVIRONMENT_VARIABLE, "y.jsonl"))).isEqualTo(Path.of("y.jsonl"));
        assertThat(Ledger.resolve(Optional.empty(), Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".dplstm", "ledger.jsonl"));
    }
}
