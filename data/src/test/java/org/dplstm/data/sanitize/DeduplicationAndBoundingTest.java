package org.dplstm.data.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeduplicationAndBoundingTest {

    @Test
    void exactDedupKeepsFirstCopyOnly() {
        ExactDeduplicator dedup = new ExactDeduplicator();
        assertThat(dedup.firstSeen("my order is late")).isTrue();
        assertThat(dedup.firstSeen("my order is late")).isFalse();
        assertThat(dedup.firstSeen("my order is late!")).isTrue();
    }

    @Test
    void nearDedupDropsSmallEditsButKeepsDifferentTexts() {
        MinHashDeduplicator dedup = new MinHashDeduplicator(0.8);
        String base = "My package has not arrived and the tracking page has not moved for a whole week now, please help.";
        assertThat(dedup.firstSeen(base)).isTrue();
        assertThat(dedup.firstSeen(base.replace("whole week", "whole  week").replace("please", "pls"))).isFalse();
        assertThat(dedup.firstSeen("I was charged twice for my subscription this month and want the money back.")).isTrue();
    }

    @Test
    void minHashEstimatesJaccardSimilarity() {
        // Two texts whose 5-shingle sets have a known Jaccard similarity (computed exactly here).
        String a = "abcdefghijklmnopqrstuvwxyz0123456789";
        String b = "abcdefghijklmnopqrstuvwxyz9876543210";
        java.util.Set<String> sa = shingles(a);
        java.util.Set<String> sb = shingles(b);
        java.util.Set<String> union = new java.util.HashSet<>(sa);
        union.addAll(sb);
        java.util.Set<String> inter = new java.util.HashSet<>(sa);
        inter.retainAll(sb);
        double exact = inter.size() / (double) union.size();
        MinHashDeduplicator dedup = new MinHashDeduplicator(0.5);
        double estimate = MinHashDeduplicator.similarity(dedup.signature(a), dedup.signature(b));
        // 64 hashes: the estimate's standard deviation is sqrt(J(1-J)/64) <= 0.0625.
        assertThat(estimate).isCloseTo(exact, org.assertj.core.data.Offset.offset(0.2));
    }

    private static java.util.Set<String> shingles(String text) {
        java.util.Set<String> set = new java.util.HashSet<>();
        for (int i = 0; i + 5 <= text.length(); i++) {
            set.add(text.substring(i, i + 5));
        }
        return set;
    }

    @Test
    void boundingKeepsAtMostKPerUserInInputOrder() {
        ContributionBounder<Integer> bounder = ContributionBounder.seededForTesting(2, 1);
        for (int i = 0; i < 10; i++) {
            bounder.offer(i < 7 ? "heavy" : "light" + i, i, i);
        }
        List<Integer> kept = bounder.kept();
        assertThat(kept.stream().filter(i -> i < 7)).hasSize(2);
        assertThat(kept).contains(7, 8, 9).isSorted();
        assertThat(bounder.dropped()).isEqualTo(5);
    }

    @Test
    void boundingKeepsEachRecordWithProbabilityKOverN() {
        // Reservoir sampling must keep every one of a user's n records with probability k/n.
        int n = 10;
        int k = 3;
        int trials = 20_000;
        int[] keptCounts = new int[n];
        ContributionBounder<Integer> bounder;
        java.util.SplittableRandom seeds = new java.util.SplittableRandom(42); // java.util.Random's first draws correlate across adjacent seeds
        for (int t = 0; t < trials; t++) {
            bounder = ContributionBounder.seededForTesting(k, seeds.nextLong());
            for (int i = 0; i < n; i++) {
                bounder.offer("u", i, i);
            }
            for (int i : bounder.kept()) {
                keptCounts[i]++;
            }
        }
        double expected = trials * k / (double) n;
        double sd = Math.sqrt(trials * (k / (double) n) * (1 - k / (double) n));
        for (int count : keptCounts) {
            assertThat((double) count).isBetween(expected - 5 * sd, expected + 5 * sd);
        }
    }
}
