package org.dplstm.data.vocab;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.data.tokenize.CharTokenizer;

/**
 * A text as a bag of its hashed character n-grams: a vector of {@link #size()} buckets, the input of
 * a linear classifier (fastText's features without the embedding). Nothing depends on the data (the
 * buckets are {@link HashingVocabulary}'s fixed hash), so the features cost no privacy and need no
 * vocabulary built from the private texts.
 *
 * <p>The text is read as {@link CharTokenizer} reads it (lower-cased code points, a run of white
 * space one space, a placeholder such as {@code [EMAIL]} one unit) between two spaces, so the
 * n-grams at the ends mark a word's start and end. Each bucket holds the square root of how many
 * n-grams fell into it, and the vector is scaled to length 1: a long text weighs no more than a
 * short one, and a linear layer's per-example gradient, (p − y) ⊗ x, has norm at most √2 (2 with
 * a bias) whatever the text's length (ARCHITECTURE §5).
 */
public final class CharNgramBag {

    private final int minLength;
    private final int maxLength;
    private final HashingVocabulary buckets;
    private final CharTokenizer tokenizer = new CharTokenizer(true);

    private CharNgramBag(Builder builder) {
        this.minLength = builder.minLength;
        this.maxLength = builder.maxLength;
        this.buckets = new HashingVocabulary(builder.buckets);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The vector's length: the number of hash buckets. */
    public int size() {
        return buckets.buckets();
    }

    public int minLength() {
        return minLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /** The text's vector (all zeros for a text without characters). */
    public float[] vector(String text) {
        int[] counts = new int[size()];
        for (int bucket : buckets(text)) {
            counts[bucket]++;
        }
        float[] vector = new float[counts.length];
        double squaredLength = 0;
        for (int count : counts) {
            squaredLength += count; // (√count)²
        }
        if (squaredLength > 0) {
            double scale = 1 / Math.sqrt(squaredLength);
            for (int i = 0; i < counts.length; i++) {
                vector[i] = (float) (Math.sqrt(counts[i]) * scale);
            }
        }
        return vector;
    }

    /**
     * The bucket of each n-gram occurrence of the text, in order (by start, then length): what
     * {@link #vector} counts, and what a classifier of n-gram buckets reads as its tokens (a prefix
     * of them when it keeps fewer).
     */
    public int[] buckets(String text) {
        List<String> units = new ArrayList<>();
        for (String unit : tokenizer.tokens(" " + text + " ")) {
            if (!(unit.equals(" ") && !units.isEmpty() && units.get(units.size() - 1).equals(" "))) {
                units.add(unit); // a run of white space is one space
            }
        }
        List<Integer> buckets = new ArrayList<>();
        StringBuilder gram = new StringBuilder();
        for (int start = 0; start < units.size(); start++) {
            gram.setLength(0);
            for (int n = 1; n <= maxLength && start + n <= units.size(); n++) {
                gram.append(units.get(start + n - 1));
                String ngram = gram.toString();
                if (n >= minLength && !ngram.isBlank()) {
                    buckets.add(bucketOf(ngram));
                }
            }
        }
        return buckets.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The bucket of one n-gram, 0 to size() − 1. */
    public int bucketOf(String gram) {
        return buckets.id(gram) - 2; // HashingVocabulary reserves ids 0 and 1 for padding and unknown
    }

    /** Builder: n-grams of 2 to 4 characters in 8,192 buckets unless set. */
    public static final class Builder {
        private int minLength = 2;
        private int maxLength = 4;
        private int buckets = 8192;

        private Builder() {}

        /** The shortest and longest n-gram counted, 1 ≤ min ≤ max ≤ 8. */
        public Builder optLengths(int min, int max) {
            if (min < 1 || max < min || max > 8) {
                throw new IllegalArgumentException("n-gram lengths must satisfy 1 <= min <= max <= 8, were " + min
                        + " and " + max);
            }
            this.minLength = min;
            this.maxLength = max;
            return this;
        }

        /** How many buckets the n-grams are hashed into, at least 1. */
        public Builder optBuckets(int buckets) {
            if (buckets < 1) {
                throw new IllegalArgumentException("buckets must be >= 1, was " + buckets);
            }
            this.buckets = buckets;
            return this;
        }

        public CharNgramBag build() {
            return new CharNgramBag(this);
        }
    }
}
