package org.dplstm.training.privacyaudit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.synthetic.SupportTickets;
import org.junit.jupiter.api.Test;

/** Canary and audit-example planting: counts, labels, units and the randomness of secrets and coins. */
class PlantingTest {

    private static final List<TextRecord> TICKETS = SupportTickets.generate(400, 7);

    @Test
    void templateWritesEverySecretAsDigitWordsWithLeadingZeros() {
        CanaryTemplate template = CanaryTemplate.withDigits(4);
        assertThat(template.spaceSize()).isEqualTo(10_000);
        assertThat(template.log2SpaceSize()).isCloseTo(Math.log(10_000) / Math.log(2), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(template.textFor(42)).isEqualTo("my account pin is zero zero four two");
        assertThat(template.textFor(9_051)).isEqualTo("my account pin is nine zero five one");
        assertThatThrownBy(() -> template.textFor(10_000)).hasMessage("secret must be in [0, 10000), was 10000");
        assertThatThrownBy(() -> CanaryTemplate.withDigits(0)).hasMessage("secret digits must be >= 1, was 0");
    }

    @Test
    void eachCanaryIsInsertedRepeatsTimesAndEachIncludedAuditExampleOnce() {
        PrivacyAuditConfig config = PrivacyAuditConfig.builder().optCanaries(7).optRepeats(5).optSecretDigits(3)
                .optAuditExamples(120).build();
        PlantedData planted = new PrivacyAuditExperiment(config, AuditRandomness.seededForTesting(1)).plant(TICKETS);

        assertThat(planted.canaries()).hasSize(7);
        assertThat(planted.canaries().stream().map(Canary::secret).distinct()).hasSize(7);
        for (Canary canary : planted.canaries()) {
            List<TextRecord> copies = planted.trainingRecords().stream().filter(r -> r.text().equals(canary.text())).toList();
            assertThat(copies).hasSize(5).allMatch(r -> r.label().equals(canary.label()));
            assertThat(copies.stream().map(TextRecord::user).distinct()).hasSize(1);
            assertThat(SupportTickets.LABELS).contains(canary.label());
        }

        assertThat(planted.auditExamples()).hasSize(120);
        long included = planted.includedAuditExamples();
        assertThat(planted.trainingRecords()).hasSize(400 - 120 + 7 * 5 + (int) included);
        Set<String> auditUsers = new HashSet<>();
        for (AuditExample example : planted.auditExamples()) {
            TextRecord record = example.record();
            TextRecord original = TICKETS.stream().filter(r -> r.line() == record.line()).findFirst().orElseThrow();
            assertThat(record.text()).isEqualTo(original.text());
            assertThat(record.label()).isNotEqualTo(original.label()).isIn(SupportTickets.LABELS);
            assertThat(auditUsers.add(record.user())).isTrue();
            // The original (correctly labelled) record is gone; the relabelled one is in once or not at all.
            assertThat(planted.trainingRecords()).doesNotContain(original);
            long copies = planted.trainingRecords().stream().filter(r -> r == record).count();
            assertThat(copies).isEqualTo(example.included() ? 1 : 0);
        }
    }

    @Test
    void secretsAreUniformOverTheCandidateSpaceAndCoinsFair() {
        // 2000 secrets of 4 digits from the secure default source: every digit position should be
        // uniform over 0-9 (chi-square, 9 degrees of freedom, rejected only below p = 1e-6).
        PrivacyAuditConfig config = PrivacyAuditConfig.builder().optCanaries(2000).optRepeats(1).optSecretDigits(4)
                .optAuditExamples(1000).build();
        PlantedData planted = new PrivacyAuditExperiment(config).plant(SupportTickets.generate(2000, 3));
        ChiSquaredDistribution chi = new ChiSquaredDistribution(null, 9);
        for (int position = 0; position < 4; position++) {
            int[] counts = new int[10];
            for (Canary canary : planted.canaries()) {
                counts[(int) (canary.secret() / (long) Math.pow(10, 3 - position) % 10)]++;
            }
            double statistic = 0;
            for (int count : counts) {
                statistic += (count - 200.0) * (count - 200.0) / 200.0;
            }
            assertThat(1 - chi.cumulativeProbability(statistic)).as("digit position %d: %s", position, counts)
                    .isGreaterThan(1e-6);
        }
        // Labels drawn per canary: all five classes appear among 2000 canaries.
        assertThat(planted.canaries().stream().map(Canary::label).distinct()).hasSize(5);
        // Inclusion: Binomial(1000, 1/2), within 5.5 standard deviations (p ≈ 4e-8 of failing).
        assertThat(planted.includedAuditExamples()).isBetween(500 - 87L, 500 + 87L);
    }

    @Test
    void twoSecureAuditsDrawDifferentSecrets() {
        PrivacyAuditConfig config = PrivacyAuditConfig.builder().optCanaries(5).optSecretDigits(9).optAuditExamples(10).build();
        Set<Long> first = new HashSet<>();
        new PrivacyAuditExperiment(config).plant(TICKETS).canaries().forEach(c -> first.add(c.secret()));
        Set<Long> second = new HashSet<>();
        new PrivacyAuditExperiment(config).plant(TICKETS).canaries().forEach(c -> second.add(c.secret()));
        // 5 secrets each out of 10^9: a shared one has probability about 2.5e-8.
        assertThat(first).doesNotContainAnyElementsOf(second);
    }

    @Test
    void aFixedCanaryLabelLabelsEveryCanary() {
        PrivacyAuditConfig config = PrivacyAuditConfig.builder().optCanaries(20).optCanaryLabel("refund").optAuditExamples(0).build();
        PlantedData planted = new PrivacyAuditExperiment(config, AuditRandomness.seededForTesting(2)).plant(TICKETS);
        assertThat(planted.canaries()).allMatch(c -> c.label().equals("refund"));
        assertThat(planted.auditExamples()).isEmpty();
    }

    @Test
    void badPlansAreRejectedWithTheParameterAndItsRange() {
        assertThatThrownBy(() -> PrivacyAuditConfig.builder().optCanaries(0).build()).hasMessage("canaries must be >= 1, was 0");
        assertThatThrownBy(() -> PrivacyAuditConfig.builder().optRepeats(0).build()).hasMessage("repeats must be >= 1, was 0");
        assertThatThrownBy(() -> PrivacyAuditConfig.builder().optCanaries(11).optSecretDigits(1).build())
                .hasMessage("canaries must be <= the 10 possible secrets of 1 digits, was 11");
        PrivacyAuditExperiment tooMany = new PrivacyAuditExperiment(PrivacyAuditConfig.builder().optAuditExamples(201).build());
        assertThatThrownBy(() -> tooMany.plant(TICKETS)).hasMessage("audit examples must be <= half the training records (200), was 201");
        PrivacyAuditExperiment unknownLabel = new PrivacyAuditExperiment(
                PrivacyAuditConfig.builder().optCanaryLabel("sports").optAuditExamples(10).build());
        assertThatThrownBy(() -> unknownLabel.plant(TICKETS)).hasMessageStartingWith("canary label must be one of the training labels")
                .hasMessageEndingWith("was 'sports'");
    }
}
