package org.dplstm.training.seq2seq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.data.metrics.ChrF;
import org.dplstm.data.metrics.CorpusBleu;
import org.dplstm.training.dpsgd.EncodedDataset;

/**
 * Corpus BLEU and chrF2 (0–100) of a translator's greedy outputs on encoded pairs: an
 * encoder-decoder's validation figures at each epoch end, recorded as {@value #BLEU} and
 * {@value #CHRF}. The references are the targets as the model sees them (sanitized, cut to the
 * maximum length, lower-cased words at word level), decoded from their ids, so a perfect model
 * scores 100.
 */
public final class TranslationScores {

    public static final String BLEU = "bleu";
    public static final String CHRF = "chrf";

    private TranslationScores() {}

    public static Map<String, Double> of(Translator translator, EncodedDataset pairs) {
        PairEncoder encoder = translator.encoder();
        List<int[]> sources = new ArrayList<>(pairs.size());
        List<String> references = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            sources.add(PairEncoder.sourceOf(pairs, i));
            references.add(encoder.decodeTarget(PairEncoder.targetOf(pairs, i)));
        }
        // room for every token a target may have, and its end
        int maxTokens = encoder.maxLength() + 1;
        List<String> hypotheses = translator.greedy(sources, maxTokens).stream().map(encoder::decodeTarget).toList();
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(BLEU, CorpusBleu.score(hypotheses, references).score());
        scores.put(CHRF, ChrF.score(hypotheses, references));
        return scores;
    }
}
