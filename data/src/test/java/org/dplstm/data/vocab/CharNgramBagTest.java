package org.dplstm.data.vocab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CharNgramBagTest {

    private final CharNgramBag bag = CharNgramBag.builder().optLengths(2, 3).optBuckets(1 << 20).build();

    @Test
    void eachNgramBetweenTheBoundarySpacesWeighsTheSquareRootOfItsCountOverTheVectorsLength() {
        // " abab " has the 2-grams " a", "ab" (twice), "ba", "b " and the 3-grams " ab", "aba", "bab", "ab ":
        // counts 1, 2, 1, 1, 1, 1, 1, 1, so the length is √(1+2+1+1+1+1+1+1) = 3 (squares of √count)
        Map<String, Double> expected = new HashMap<>();
        for (String gram : new String[] {" a", "ba", "b ", " ab", "aba", "bab", "ab "}) {
            expected.put(gram, 1 / 3.0);
        }
        expected.put("ab", Math.sqrt(2) / 3);
        float[] vector = bag.vector("ABab");
        for (Map.Entry<String, Double> gram : expected.entrySet()) {
            assertThat((double) vector[bag.bucketOf(gram.getKey())]).as(gram.getKey()).isCloseTo(gram.getValue(), within(1e-6));
        }
        double nonZero = 0;
        for (float v : vector) {
            nonZero += v != 0 ? 1 : 0;
        }
        assertThat(nonZero).isEqualTo(expected.size()); // 2^20 buckets: no two of these eight n-grams share one
    }

    @Test
    void everyTextWithCharactersHasLengthOneAndOneWithoutHasNone() {
        for (String text : new String[] {"x", "a much longer text, with words and punctuation!", "提供给IP子网", "[EMAIL]"}) {
            double squared = 0;
            for (float v : bag.vector(text)) {
                squared += v * v;
            }
            assertThat(squared).as(text).isCloseTo(1, within(1e-5));
        }
        CharNgramBag small = CharNgramBag.builder().optBuckets(64).build();
        assertThat(small.vector("")).containsOnly(0f);
        assertThat(small.vector(" \t\n")).containsOnly(0f);
    }

    @Test
    void whiteSpaceRunsAreOneSpaceAndAPlaceholderIsOneUnit() {
        CharNgramBag small = CharNgramBag.builder().optBuckets(64).build();
        assertThat(Arrays.equals(small.vector(" a \t\n b\n"), small.vector("a b"))).isTrue();
        assertThat(Arrays.equals(small.vector("a  b"), small.vector("ab"))).isFalse();
        float[] redacted = bag.vector("[IP]");
        // units " ", "[IP]", " ": the 2-grams " [IP]" and "[IP] " and the 3-gram " [IP] ", no n-gram inside the placeholder
        assertThat(redacted[bag.bucketOf(" [IP]")]).isGreaterThan(0);
        assertThat(redacted[bag.bucketOf("[i")]).isZero();
    }

    @Test
    void lengthsAndBucketsOutsideTheirRangesAreRefusedNamingThem() {
        assertThatThrownBy(() -> CharNgramBag.builder().optLengths(3, 2))
                .hasMessage("n-gram lengths must satisfy 1 <= min <= max <= 8, were 3 and 2");
        assertThatThrownBy(() -> CharNgramBag.builder().optLengths(0, 2))
                .hasMessage("n-gram lengths must satisfy 1 <= min <= max <= 8, were 0 and 2");
        assertThatThrownBy(() -> CharNgramBag.builder().optBuckets(0)).hasMessage("buckets must be >= 1, was 0");
    }
}
