package org.dplstm.data.sanitize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Near-duplicate detection with MinHash (Broder 1997) over 5-character shingles of the lower-cased
 * text, and locality-sensitive hashing in bands to find candidates (Leskovec, Rajaraman, Ullman,
 * "Mining of Massive Datasets", §3.4). A record is a near duplicate of an earlier kept record when
 * their estimated Jaccard similarity is at least the threshold. Holds {@value #HASHES} ints per
 * kept record.
 */
public final class MinHashDeduplicator {
    static final int HASHES = 64;
    static final int SHINGLE = 5;

    private final double threshold;
    private final int rows;
    private final int bands;
    private final long[] seeds = new long[HASHES];
    private final List<Map<Long, List<Integer>>> bandBuckets = new ArrayList<>();
    private final List<int[]> signatures = new ArrayList<>();

    public MinHashDeduplicator(double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("near-duplicate threshold must be in (0, 1], was " + threshold);
        }
        this.threshold = threshold;
        // With b bands of r rows, a pair of similarity s becomes a candidate with probability
        // 1 - (1 - s^r)^b, whose steep part sits near (1/b)^(1/r): choose r so that point lies
        // below the threshold (few misses), and let the exact signature comparison decide.
        int bestRows = 1;
        for (int r = 1; r <= HASHES; r++) {
            if (HASHES % r == 0 && Math.pow(1.0 / (HASHES / r), 1.0 / r) <= threshold - 0.1) {
                bestRows = r;
            }
        }
        this.rows = bestRows;
        this.bands = HASHES / bestRows;
        long seed = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < HASHES; i++) {
            seed = mix(seed + i);
            seeds[i] = seed;
        }
        for (int b = 0; b < bands; b++) {
            bandBuckets.add(new HashMap<>());
        }
    }

    /** True if {@code text} is not a near duplicate of any text kept so far (and keeps it). */
    public boolean firstSeen(String text) {
        int[] signature = signature(text);
        long[] bandKeys = new long[bands];
        for (int b = 0; b < bands; b++) {
            long key = b;
            for (int r = 0; r < rows; r++) {
                key = mix(key * 31 + signature[b * rows + r]);
            }
            bandKeys[b] = key;
            List<Integer> candidates = bandBuckets.get(b).get(key);
            if (candidates != null) {
                for (int candidate : candidates) {
                    if (similarity(signature, signatures.get(candidate)) >= threshold) {
                        return false;
                    }
                }
            }
        }
        int id = signatures.size();
        signatures.add(signature);
        for (int b = 0; b < bands; b++) {
            bandBuckets.get(b).computeIfAbsent(bandKeys[b], k -> new ArrayList<>(1)).add(id);
        }
        return true;
    }

    /** The estimated Jaccard similarity: the fraction of MinHash values two signatures share. */
    static double similarity(int[] a, int[] b) {
        int equal = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                equal++;
            }
        }
        return equal / (double) a.length;
    }

    int[] signature(String text) {
        byte[] bytes = text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        int[] signature = new int[HASHES];
        java.util.Arrays.fill(signature, Integer.MAX_VALUE);
        int shingles = Math.max(1, bytes.length - SHINGLE + 1);
        for (int s = 0; s < shingles; s++) {
            long shingle = 0xcbf29ce484222325L; // FNV-1a 64 over the shingle's bytes
            for (int i = s; i < Math.min(bytes.length, s + SHINGLE); i++) {
                shingle = (shingle ^ (bytes[i] & 0xff)) * 0x100000001b3L;
            }
            for (int h = 0; h < HASHES; h++) {
                int value = (int) (mix(shingle ^ seeds[h]) >>> 33);
                if (value < signature[h]) {
                    signature[h] = value;
                }
            }
        }
        return signature;
    }

    /** The SplitMix64 finaliser: a strong 64-bit mixing function (Steele et al. 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
