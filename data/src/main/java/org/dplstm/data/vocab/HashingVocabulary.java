package org.dplstm.data.vocab;

import java.nio.charset.StandardCharsets;

/**
 * Feature hashing: a token's id is 2 + (FNV-1a 32-bit hash of its UTF-8 bytes, unsigned) mod the
 * number of buckets. Nothing depends on the data, so it costs no privacy; distinct tokens may share
 * a bucket. FNV-1a (Fowler, Noll, Vo) is fixed forever, so saved models keep their meaning.
 */
public final class HashingVocabulary implements Vocabulary {
    private static final int FNV_OFFSET_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private final int buckets;

    public HashingVocabulary(int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, was " + buckets);
        }
        this.buckets = buckets;
    }

    public int buckets() {
        return buckets;
    }

    @Override
    public int size() {
        return buckets + 2;
    }

    @Override
    public int id(String token) {
        return 2 + (int) (Integer.toUnsignedLong(fnv1a32(token.getBytes(StandardCharsets.UTF_8))) % buckets);
    }

    /** FNV-1a, 32-bit: for each byte, xor it in, then multiply by the FNV prime. */
    static int fnv1a32(byte[] bytes) {
        int hash = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }
}
