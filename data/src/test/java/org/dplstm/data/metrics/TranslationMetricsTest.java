package org.dplstm.data.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * BLEU and chrF against published values: the examples of sacreBLEU's README (Post 2018;
 * sacreBLEU 2.x, signature nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp and chrF2) and cases of
 * its test suite (test_bleu.py, test_chrf.py), computed by sacreBLEU, not by this code.
 */
class TranslationMetricsTest {

    private static final List<String> SYSTEM =
            List.of("The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
    private static final List<String> FIRST_REFERENCES =
            List.of("The dog bit the man.", "It was not unexpected.", "The man bit him first.");
    private static final List<String> SECOND_REFERENCES =
            List.of("The dog had bit the man.", "No one was surprised.", "The man had bitten the dog.");

    private static List<List<String>> perHypothesis(List<String> first, List<String> second) {
        return java.util.stream.IntStream.range(0, first.size()).mapToObj(i -> List.of(first.get(i), second.get(i)))
                .toList();
    }

    @Test
    void corpusBleuMatchesTheSacreBleuReadmeExampleWithTwoReferences() {
        BleuScore bleu = CorpusBleu.scoreMultiple(SYSTEM, perHypothesis(FIRST_REFERENCES, SECOND_REFERENCES));
        // README: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18);
        // test_bleu.py: 48.530827
        assertThat(bleu.score()).isCloseTo(48.530827, Offset.offset(1e-6));
        assertThat(Arrays.stream(bleu.precisions()).map(p -> Math.round(p * 10) / 10.0).toArray())
                .containsExactly(82.4, 50.0, 45.5, 37.5);
        assertThat(bleu.brevityPenalty()).isCloseTo(0.943, Offset.offset(5e-4));
        assertThat(bleu.hypothesisLength()).isEqualTo(17);
        assertThat(bleu.referenceLength()).isEqualTo(18);
    }

    @Test
    void corpusBleuKeepsAnEmptyReferenceAsALengthZeroReference() {
        // README "Variable Number of References": BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ... ref_len = 19)
        List<String> first = List.of("", "It was not unexpected.", "The man bit him first.");
        BleuScore bleu = CorpusBleu.scoreMultiple(SYSTEM, perHypothesis(first, SECOND_REFERENCES));
        assertThat(bleu.score()).isCloseTo(29.44, Offset.offset(0.005));
        assertThat(Arrays.stream(bleu.precisions()).map(p -> Math.round(p * 10) / 10.0).toArray())
                .containsExactly(82.4, 42.9, 27.3, 12.5);
        assertThat(bleu.referenceLength()).isEqualTo(19);
    }

    @Test
    void corpusBleuOfEmptyHypothesesIsZeroAndStatisticsMatchTheTestSuite() {
        assertThat(CorpusBleu.scoreMultiple(List.of("", "", ""), perHypothesis(FIRST_REFERENCES, SECOND_REFERENCES))
                .score()).isZero();
        // test_bleu.py test_case_statistics: common [4, 2, 1, 0], total [6, 5, 4, 3]
        BleuScore bleu = CorpusBleu.score(List.of("am I am a character sequence"),
                List.of("I am a symbol string sequence a a"));
        assertThat(bleu.matches()).containsExactly(4, 2, 1, 0);
        assertThat(bleu.totals()).containsExactly(6, 5, 4, 3);
        // test_bleu.py test_case_scoring: 0.8375922397 from ([9, 7, 5, 3], [10, 8, 6, 4], 11, 11)
        assertThat(BleuScore.fromStatistics(new long[] {9, 7, 5, 3}, new long[] {10, 8, 6, 4}, 11, 11).score())
                .isCloseTo(83.75922397, Offset.offset(1e-6));
    }

    @Test
    void mteval13aSplitsPunctuationButNotDecimalNumbersOrApostrophes() {
        // the symbol class skips ' (0x27) and - (0x2D); a dash after a digit is split by its own rule
        assertThat(Mteval13aTokenizer.tokenize("It wasn't 3.5 times (or 1,000-fold) &quot;cheap&quot;."))
                .isEqualTo("It wasn't 3.5 times ( or 1,000 - fold ) \" cheap \" .");
    }

    @Test
    void chrF2MatchesTheSacreBleuReadmeExample() {
        // README: chrF2 = 59.73
        assertThat(new ChrF().scoreMultiple(SYSTEM, perHypothesis(FIRST_REFERENCES, SECOND_REFERENCES)))
                .isCloseTo(59.73, Offset.offset(0.005));
    }

    @Test
    void chrFMatchesTheEffectiveOrderCasesOfTheTestSuite() {
        // test_chrf.py test_cases_effective_order (char_order 6, word_order 0, beta 3, eps_smoothing off)
        ChrF chrF3 = new ChrF(6, 3, false);
        assertThat(chrF3.scoreMultiple(List.of("a"), List.of(List.of("a")))).isCloseTo(100.0, Offset.offset(1e-4));
        assertThat(chrF3.scoreMultiple(List.of(""), List.of(List.of("reference")))).isCloseTo(0.0, Offset.offset(1e-4));
        assertThat(chrF3.scoreMultiple(List.of("a b c"), List.of(List.of("a b c")))).isCloseTo(100.0, Offset.offset(1e-4));
        assertThat(chrF3.scoreMultiple(List.of("a b c"), List.of(List.of("abc")))).isCloseTo(100.0, Offset.offset(1e-4));
        assertThat(chrF3.scoreMultiple(List.of(""), List.of(List.of("c")))).isCloseTo(0.0, Offset.offset(1e-4));
        assertThat(chrF3.scoreMultiple(List.of("a", "b"), List.of(List.of("a"), List.of("c"))))
                .isCloseTo(50.0, Offset.offset(1e-4));
        assertThat(chrF3.scoreMultiple(List.of("aa"), List.of(List.of("ab")))).isCloseTo(25.0, Offset.offset(1e-4));
    }

    @Test
    void chrFKeepingWhitespaceMatchesTheTestSuite() {
        // test_chrf.py test_cases_keep_whitespace (beta 3, white space kept)
        ChrF chrF3 = new ChrF(6, 3, true);
        assertThat(chrF3.scoreMultiple(
                List.of("Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."),
                List.of(List.of("Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."))))
                .isCloseTo(67.3481606, Offset.offset(1e-4));
        assertThat(chrF3.scoreMultiple(
                List.of("risk assessment must be made of those who are qualified and expertise in the sector - these are"
                        + " the scientists ."),
                List.of(List.of("risk assessment has to be undertaken by those who are qualified and expert in that area"
                        + " - that is the scientists ."))))
                .isCloseTo(65.2414427, Offset.offset(1e-4));
    }
}
