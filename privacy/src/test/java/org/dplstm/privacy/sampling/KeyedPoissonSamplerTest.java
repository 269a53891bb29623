package org.dplstm.privacy.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class KeyedPoissonSamplerTest {

    /** HMAC-SHA-256 written out from its definition (RFC 2104) over plain SHA-256. */
    private static byte[] hmacSha256(byte[] key, byte[] message) throws Exception {
        byte[] inner = new byte[64];
        byte[] outer = new byte[64];
        for (int i = 0; i < 64; i++) {
            byte k = i < key.length ? key[i] : 0;
            inner[i] = (byte) (k ^ 0x36);
            outer[i] = (byte) (k ^ 0x5c);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(inner);
        byte[] innerHash = sha.digest(message);
        sha.update(outer);
        return sha.digest(innerHash);
    }

    @Test
    void coinsAreBlocksOfTheStepKeysCtrKeystreamAgainstHandMadeHmac() throws Exception {
        byte[] key = MessageDigest.getInstance("SHA-256")
                .digest("dplstm-test-sampling-key:42".getBytes(StandardCharsets.UTF_8));
        long step = 17;
        byte[] message = ByteBuffer.allocate(27).put("dplstm poisson step".getBytes(StandardCharsets.US_ASCII))
                .putLong(step).array();
        byte[] stepKey = hmacSha256(key, message);
        // AES-CTR from counter block 0: keystream block i is AES(stepKey, 0^64 || i)
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(stepKey, "AES"), new IvParameterSpec(new byte[16]));
        int n = 5000;
        byte[] keystream = ctr.doFinal(new byte[16 * n]);
        double q = 0.3;
        int[] expected = java.util.stream.IntStream.range(0, n).filter(i -> {
            long word = ByteBuffer.wrap(keystream, 16 * i, 8).getLong();
            return (word >>> 11) * 0x1.0p-53 < q;
        }).toArray();
        assertThat(KeyedPoissonSampler.seededForTesting(42).sample(step, n, q)).containsExactly(expected);
    }

    @Test
    void batchSizesFollowTheBinomialAndStepsAreIndependent() {
        KeyedPoissonSampler sampler = KeyedPoissonSampler.seededForTesting(1);
        int population = 200;
        double q = 0.1;
        int steps = 3000;
        BinomialDistribution binomial = new BinomialDistribution(population, q);
        // bins: <= 12, 13, ..., 27, >= 28 (expected counts all above 10)
        int low = 12;
        int high = 28;
        long[] observed = new long[high - low + 1];
        int[] hits = new int[population];
        long inBoth = 0;
        boolean[] previous = null;
        for (int t = 0; t < steps; t++) {
            int[] batch = sampler.sample(t, population, q);
            observed[Math.min(high, Math.max(low, batch.length)) - low]++;
            boolean[] member = new boolean[population];
            for (int unit : batch) {
                member[unit] = true;
                hits[unit]++;
                inBoth += previous != null && previous[unit] ? 1 : 0;
            }
            previous = member;
        }
        double statistic = 0;
        for (int bin = 0; bin < observed.length; bin++) {
            int k = low + bin;
            double p = k == low ? binomial.cumulativeProbability(low)
                    : k == high ? 1 - binomial.cumulativeProbability(high - 1) : binomial.probability(k);
            double expected = p * steps;
            statistic += (observed[bin] - expected) * (observed[bin] - expected) / expected;
        }
        assertThat(statistic).isLessThan(new ChiSquaredDistribution(observed.length - 1).inverseCumulativeProbability(1 - 1e-3));
        // every unit at rate q (sd sqrt(3000 * 0.09) = 16.4), and in two consecutive steps at rate q²
        for (int hit : hits) {
            assertThat(hit).isBetween(300 - 80, 300 + 80);
        }
        double pairs = (double) (steps - 1) * population;
        assertThat(inBoth / pairs).isBetween(q * q - 4 * Math.sqrt(q * q / pairs), q * q + 4 * Math.sqrt(q * q / pairs));
    }

    @Test
    void aUnitsCoinDoesNotDependOnWhichOtherUnitsAreAsked() {
        StepCoins coins = KeyedPoissonSampler.seededForTesting(3).coinsFor(5, 0.2);
        long[] all = new long[10_000];
        Arrays.setAll(all, i -> i);
        boolean[] whole = coins.keep(all);
        long[] odd = Arrays.stream(all).filter(i -> i % 2 == 1).toArray();
        boolean[] part = coins.keep(odd);
        for (int i = 0; i < odd.length; i++) {
            assertThat(part[i]).isEqualTo(whole[(int) odd[i]]);
        }
        assertThat(coins.keeps(4321)).isEqualTo(whole[4321]);
        // another step, another key: another sample
        assertThat(KeyedPoissonSampler.seededForTesting(3).coinsFor(6, 0.2).keep(all)).isNotEqualTo(whole);
        assertThat(KeyedPoissonSampler.seededForTesting(4).coinsFor(5, 0.2).keep(all)).isNotEqualTo(whole);
    }

    @Test
    void oneStepsCoinsServeManyThreadsAtOnce() throws Exception {
        // The tasks of one Spark executor share one broadcast copy of a step's coins, from its first use.
        KeyedPoissonSampler sampler = KeyedPoissonSampler.seededForTesting(8);
        long[] ids = new long[64];
        Arrays.setAll(ids, i -> i);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int step = 0; step < 300; step++) {
                boolean[] expected = sampler.coinsFor(step, 0.5).keep(ids);
                StepCoins shared = sampler.coinsFor(step, 0.5);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<boolean[]>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(threads.submit(() -> {
                        start.await();
                        return shared.keep(ids);
                    }));
                }
                start.countDown();
                for (Future<boolean[]> result : results) {
                    assertThat(result.get()).isEqualTo(expected);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
