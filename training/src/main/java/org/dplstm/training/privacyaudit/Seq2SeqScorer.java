package org.dplstm.training.privacyaudit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.PairBatch;
import org.dplstm.training.seq2seq.PairEncoder;

/**
 * Scores target texts given source texts with a trained encoder-decoder, in chunks on the engine,
 * the log-softmax in double precision (as {@link LanguageModelScorer}, whose canary and audit
 * scores it mirrors on the target side):
 *
 * <ul>
 *   <li>a canary candidate: −log P(secret | prompt, the target's prefix), the summed NLL of the
 *       secret's target tokens;
 *   <li>an audit example: its mean NLL per target token (the closing boundary included).
 * </ul>
 */
final class Seq2SeqScorer implements AuditScorer {

    /** Pairs scored at once. */
    private static final int CHUNK = 256;

    private final LstmEncoderDecoder model;
    private final PairEncoder encoder;
    private final int prefixTokens;

    Seq2SeqScorer(LstmEncoderDecoder model, PairEncoder encoder, CanaryTemplate template) {
        this.model = model;
        this.encoder = encoder;
        this.prefixTokens = encoder.target().encodePrompt(template.prefix()).length;
    }

    @Override
    public double[] canaryScores(Canary canary, List<String> candidateTexts, LongConsumer progress) {
        int[] source = encoder.encodeSource(canary.label());
        List<int[]> targets = candidateTexts.stream().map(encoder.target()::encode).toList();
        double[][] nll = targetNll(targets.stream().map(t -> source).toList(), targets, progress);
        double[] scores = new double[targets.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = LanguageModelScorer.secretNll(targets.get(i), nll[i], prefixTokens, encoder.targetBoundaryId());
        }
        return scores;
    }

    @Override
    public double[] auditLosses(List<TextRecord> examples, LongConsumer progress) {
        List<int[]> sources = examples.stream().map(e -> encoder.encodeSource(e.text())).toList();
        List<int[]> targets = examples.stream().map(e -> encoder.target().encode(e.label())).toList();
        double[][] nll = targetNll(sources, targets, progress);
        double[] losses = new double[nll.length];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = LanguageModelScorer.meanNll(nll[i]);
        }
        return losses;
    }

    /** Per pair, −log p(target token k + 1 | source, target tokens ≤ k) for k = 0 … len − 2. */
    private double[][] targetNll(List<int[]> sources, List<int[]> targets, LongConsumer progress) {
        List<double[]> result = new ArrayList<>(targets.size());
        for (int start = 0; start < targets.size(); start += CHUNK) {
            int end = Math.min(targets.size(), start + CHUNK);
            List<int[]> part = targets.subList(start, end);
            int width = part.stream().mapToInt(t -> t.length).max().orElse(1);
            long[] next = new long[part.size() * width];
            for (int row = 0; row < part.size(); row++) {
                for (int t = 0; t + 1 < part.get(row).length; t++) {
                    next[row * width + t] = part.get(row)[t + 1];
                }
            }
            double[] picked;
            try (NDManager scope = model.manager().newSubManager()) {
                NDArray logits = model.logits(scope, PairBatch.pack(scope, sources.subList(start, end), part));
                picked = logits.toType(DataType.FLOAT64, false).logSoftmax(2)
                        .gather(scope.create(next, new Shape(part.size(), width, 1)), 2).toDoubleArray();
            }
            for (int row = 0; row < part.size(); row++) {
                double[] nll = new double[part.get(row).length - 1];
                for (int k = 0; k < nll.length; k++) {
                    nll[k] = -picked[row * width + k];
                }
                result.add(nll);
            }
            progress.accept(end - start);
        }
        return result.toArray(double[][]::new);
    }
}
