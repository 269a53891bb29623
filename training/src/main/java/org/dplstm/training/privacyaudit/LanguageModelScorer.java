package org.dplstm.training.privacyaudit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.LongConsumer;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmLanguageModel;

/**
 * Scores text with a trained language model, dropout off, in chunks on the engine. The log-softmax
 * is taken in double precision: a memorised canary's tokens can reach float32 probability 1, and
 * tied zeros would hide the ranking exposure needs.
 *
 * <ul>
 *   <li>A canary candidate scores its log-perplexity given the template's prefix: the summed
 *       negative log-likelihood of the secret's tokens, −log P(secret | prefix), the Secret
 *       Sharer's measure (Carlini et al. 2019, §3). The prefix is the same for every candidate,
 *       so leaving it out changes no rank.
 *   <li>An audit example's loss is its mean per-token negative log-likelihood (every predicted
 *       token, the closing boundary included).
 * </ul>
 */
final class LanguageModelScorer implements AuditScorer {

    /** Doubles of log-probabilities held at once per chunk (B·T·V), about 32 MB. */
    private static final long CHUNK_CELLS = 4_000_000;
    private static final int MAX_CHUNK = 512;

    private final LstmLanguageModel model;
    private final LanguageModelEncoder encoder;
    private final int prefixTokens;

    LanguageModelScorer(LstmLanguageModel model, LanguageModelEncoder encoder, CanaryTemplate template) {
        this.model = model;
        this.encoder = encoder;
        // <s> and the prefix's tokens: the secret's first token is at this position.
        this.prefixTokens = encoder.encodePrompt(template.prefix()).length;
    }

    @Override
    public double[] canaryScores(Canary canary, List<String> candidateTexts, LongConsumer progress) {
        return score(candidateTexts, progress, true);
    }

    @Override
    public double[] auditLosses(List<TextRecord> examples, LongConsumer progress) {
        return score(examples.stream().map(TextRecord::text).toList(), progress, false);
    }

    private double[] score(List<String> texts, LongConsumer progress, boolean secretOnly) {
        List<int[]> encoded = texts.stream().map(encoder::encode).toList();
        double[] scores = new double[texts.size()];
        int start = 0;
        while (start < encoded.size()) {
            int width = encoded.get(start).length;
            int end = start;
            // Grow the chunk while its (rows × widest row × V) log-probabilities stay under the cap.
            while (end < encoded.size() && end - start < MAX_CHUNK) {
                int w = Math.max(width, encoded.get(end).length);
                if (end > start && (long) (end - start + 1) * w * encoder.vocabSize() > CHUNK_CELLS) {
                    break;
                }
                width = w;
                end++;
            }
            double[][] nll = tokenNll(encoded.subList(start, end), width);
            for (int i = start; i < end; i++) {
                scores[i] = secretOnly ? secretNll(encoded.get(i), nll[i - start], prefixTokens, encoder.boundaryId())
                        : meanNll(nll[i - start]);
            }
            progress.accept(end - start);
            start = end;
        }
        return scores;
    }

    /**
     * Σ −log p of the tokens after the prefix ({@code prefixTokens} ids, the opening boundary
     * included), the closing boundary excluded; {@code nll[k]} is the NLL of token k + 1.
     */
    static double secretNll(int[] ids, double[] nll, int prefixTokens, int boundaryId) {
        boolean closed = ids.length > 1 && ids[ids.length - 1] == boundaryId;
        int secretEnd = closed ? ids.length - 1 : ids.length;
        double sum = 0;
        for (int k = prefixTokens; k < secretEnd; k++) {
            sum += nll[k - 1];
        }
        return sum;
    }

    static double meanNll(double[] nll) {
        double sum = 0;
        for (double x : nll) {
            sum += x;
        }
        return nll.length == 0 ? 0 : sum / nll.length;
    }

    /**
     * For each sequence, −log p(token k+1 | tokens ≤ k) for k = 0 … len − 2 (entry k predicts
     * token k + 1).
     */
    double[][] tokenNll(List<int[]> sequences, int width) {
        int rows = sequences.size();
        long[] tokens = new long[rows * width];
        long[] next = new long[rows * width];
        long[] lengths = new long[rows];
        for (int row = 0; row < rows; row++) {
            int[] ids = sequences.get(row);
            for (int t = 0; t < ids.length; t++) {
                tokens[row * width + t] = ids[t];
                if (t + 1 < ids.length) {
                    next[row * width + t] = ids[t + 1];
                }
            }
            lengths[row] = ids.length;
        }
        double[] picked;
        try (NDManager scope = model.manager().newSubManager()) {
            Batch batch = new Batch(scope.create(tokens, new Shape(rows, width)), scope.create(lengths, new Shape(rows)),
                    scope.zeros(new Shape(rows), DataType.INT64), null);
            NDArray logProbabilities = model.logits(scope, batch).toType(DataType.FLOAT64, false).logSoftmax(2);
            picked = logProbabilities.gather(scope.create(next, new Shape(rows, width, 1)), 2).toDoubleArray();
        }
        double[][] nll = new double[rows][];
        for (int row = 0; row < rows; row++) {
            nll[row] = new double[sequences.get(row).length - 1];
            for (int k = 0; k < nll[row].length; k++) {
                nll[row][k] = -picked[row * width + k];
            }
        }
        return nll;
    }
}
