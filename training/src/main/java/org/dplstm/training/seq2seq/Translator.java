package org.dplstm.training.seq2seq;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.EncodedSource;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.session.ManagedModel;

/**
 * A trained encoder-decoder with its pair encoder, for translating (or replying to) texts. Loaded
 * from (and saved to) a run directory: {@code model.bin}, {@code seq2seq_encoder.json} and the
 * two vocabularies. Decoding starts from the boundary token and stops at the next one; padding is
 * never produced. The unknown token is, where the model predicts it (written {@code <unk>}): a
 * word-level target's numbers and rare words were unknown tokens in training, and a decoder barred
 * from them is pushed off the path it learned at every such detail (docs/ARCHITECTURE.md).
 */
public final class Translator implements AutoCloseable {

    /** Sources decoded together by greedy decoding. */
    static final int GREEDY_BATCH = 128;

    private final ManagedModel<LstmEncoderDecoder> trained;
    private final PairEncoder encoder;

    Translator(ManagedModel<LstmEncoderDecoder> trained, PairEncoder encoder) {
        this.trained = trained;
        this.encoder = encoder;
    }

    /**
     * Loads a trained encoder-decoder onto {@code device}, once the run's audit log (verified with
     * {@code key}) binds its model, encoder and vocabularies; bad input for a directory of another task.
     */
    public static Translator load(Path runDir, Device device, AuditKey key) throws IOException {
        ManagedModel.requireRunOf(runDir, RunFiles.SEQ2SEQ_ENCODER, "a seq2seq", "train --task seq2seq");
        return ManagedModel.load(runDir, device, key, ModelFile::loadEncoderDecoder)
                .into(model -> new Translator(model, PairEncoder.load(runDir)));
    }

    public LstmEncoderDecoder model() {
        return trained.model();
    }

    public PairEncoder encoder() {
        return encoder;
    }

    /** The translation of one text (sanitized and tokenized like the training sources). */
    public String translate(String source, TranslationOptions options) {
        return translate(List.of(source), options).get(0);
    }

    /** One translation per text, in order: greedy in batches, or beam search text by text. */
    public List<String> translate(List<String> sources, TranslationOptions options) {
        List<int[]> ids = sources.stream().map(encoder::encodeSource).toList();
        List<String> translations = new ArrayList<>(sources.size());
        if (options.beam() == 1) {
            for (int[] generated : greedy(ids, options.maxTokens())) {
                translations.add(encoder.decodeTarget(generated));
            }
        } else {
            for (int[] source : ids) {
                translations.add(encoder.decodeTarget(beam(source, options.beam(), options.maxTokens())));
            }
        }
        return translations;
    }

    /** The most probable next token at every step, for many sources at once: each output's ids, no boundary. */
    List<int[]> greedy(List<int[]> sources, int maxTokens) {
        List<int[]> outputs = new ArrayList<>(sources.size());
        for (int start = 0; start < sources.size(); start += GREEDY_BATCH) {
            List<int[]> part = sources.subList(start, Math.min(sources.size(), start + GREEDY_BATCH));
            try (NDManager scope = trained.manager().newSubManager()) {
                DecoderStepper stepper = new DecoderStepper(model(), scope, encode(scope, part));
                int rows = part.size();
                List<List<Integer>> generated = new ArrayList<>();
                long[] tokens = new long[rows];
                boolean[] done = new boolean[rows];
                for (int r = 0; r < rows; r++) {
                    generated.add(new ArrayList<>());
                    tokens[r] = encoder.targetBoundaryId();
                }
                int open = rows;
                for (int step = 0; step < maxTokens && open > 0; step++) {
                    double[][] logProbabilities = stepper.step(tokens);
                    for (int r = 0; r < rows; r++) {
                        if (done[r]) {
                            continue;
                        }
                        int best = best(logProbabilities[r]);
                        if (best == encoder.targetBoundaryId()) {
                            done[r] = true;
                            open--;
                        } else {
                            generated.get(r).add(best);
                        }
                        tokens[r] = best;
                    }
                }
                for (List<Integer> ids : generated) {
                    outputs.add(ids.stream().mapToInt(Integer::intValue).toArray());
                }
            }
        }
        return outputs;
    }

    /** The most probable token other than padding. */
    private static int best(double[] logProbabilities) {
        int best = Vocabulary.PADDING_ID + 1;
        for (int v = best + 1; v < logProbabilities.length; v++) {
            if (logProbabilities[v] > logProbabilities[best]) {
                best = v;
            }
        }
        return best;
    }

    /** A partial output: its ids (no boundary) and summed log-probability; {@code row} is its decoder row. */
    private record Hypothesis(List<Integer> ids, double logProbability, int row) {
        /** Log-probability per token, the end token counted: the length-normalised score. */
        double normalised(boolean ended) {
            return logProbability / (ids.size() + (ended ? 1 : 0));
        }
    }

    /**
     * Beam search: the {@code width} most probable partial outputs are extended by every token at
     * each step; one that ends is finished with its length-normalised score, and the search stops
     * once {@code width} outputs have finished (or after {@code maxTokens} tokens, when the live
     * ones compete too). Returns the best finished output's ids.
     */
    int[] beam(int[] source, int width, int maxTokens) {
        try (NDManager scope = trained.manager().newSubManager()) {
            DecoderStepper stepper = new DecoderStepper(model(), scope, encode(scope, List.of(source)));
            List<Hypothesis> live = List.of(new Hypothesis(List.of(), 0, 0));
            List<Hypothesis> finished = new ArrayList<>();
            for (int step = 0; step < maxTokens && finished.size() < width; step++) {
                long[] tokens = live.stream().mapToLong(h -> h.ids().isEmpty() ? encoder.targetBoundaryId()
                        : h.ids().get(h.ids().size() - 1)).toArray();
                double[][] logProbabilities = stepper.step(tokens);
                List<Hypothesis> next = new ArrayList<>();
                for (Hypothesis candidate : bestExtensions(live, logProbabilities, 2 * width)) {
                    int last = candidate.ids().get(candidate.ids().size() - 1);
                    if (last == encoder.targetBoundaryId()) {
                        finished.add(new Hypothesis(candidate.ids().subList(0, candidate.ids().size() - 1),
                                candidate.logProbability(), candidate.row()));
                    } else {
                        next.add(candidate);
                    }
                    if (next.size() == width || finished.size() >= width) {
                        break;
                    }
                }
                if (next.isEmpty()) {
                    break;
                }
                stepper.selectRows(next.stream().mapToLong(Hypothesis::row).toArray());
                List<Hypothesis> renumbered = new ArrayList<>();
                for (int r = 0; r < next.size(); r++) {
                    renumbered.add(new Hypothesis(next.get(r).ids(), next.get(r).logProbability(), r));
                }
                live = renumbered;
            }
            Comparator<Hypothesis> byFinished = Comparator.comparingDouble(h -> h.normalised(true));
            Hypothesis best = finished.isEmpty()
                    ? live.stream().max(Comparator.comparingDouble(h -> h.normalised(false))).orElseThrow()
                    : finished.stream().max(byFinished).orElseThrow();
            return best.ids().stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * The {@code count} most probable one-token extensions of the live hypotheses (padding
     * excluded), best first: enough to keep the beam full even if half of them end.
     */
    private static List<Hypothesis> bestExtensions(List<Hypothesis> live, double[][] logProbabilities, int count) {
        PriorityQueue<double[]> kept = new PriorityQueue<>(Comparator.comparingDouble(c -> c[0]));
        for (int r = 0; r < live.size(); r++) {
            for (int v = Vocabulary.PADDING_ID + 1; v < logProbabilities[r].length; v++) {
                double score = live.get(r).logProbability() + logProbabilities[r][v];
                if (kept.size() < count) {
                    kept.add(new double[] {score, r, v});
                } else if (score > kept.peek()[0]) {
                    kept.poll();
                    kept.add(new double[] {score, r, v});
                }
            }
        }
        List<Hypothesis> best = new ArrayList<>();
        for (double[] extension : kept) {
            Hypothesis from = live.get((int) extension[1]);
            List<Integer> ids = new ArrayList<>(from.ids());
            ids.add((int) extension[2]);
            best.add(new Hypothesis(ids, extension[0], from.row()));
        }
        best.sort(Comparator.comparingDouble(Hypothesis::logProbability).reversed());
        return best;
    }

    /** The encoder states of right-padded source id sequences. */
    private EncodedSource encode(NDManager scope, List<int[]> sources) {
        int rows = sources.size();
        int width = sources.stream().mapToInt(s -> s.length).max().orElse(1);
        long[] tokens = new long[rows * width];
        long[] lengths = new long[rows];
        for (int r = 0; r < rows; r++) {
            int[] ids = sources.get(r);
            for (int t = 0; t < ids.length; t++) {
                tokens[r * width + t] = ids[t];
            }
            lengths[r] = ids.length;
        }
        Batch batch = new Batch(scope.create(tokens, new Shape(rows, width)), scope.create(lengths),
                scope.zeros(new Shape(rows), ai.djl.ndarray.types.DataType.INT64), null);
        return model().encode(scope, batch);
    }

    /** Writes the model and the pair encoder into {@code dir} (each file atomically). */
    public void save(Path dir) throws IOException {
        trained.save(dir);
        encoder.save(dir);
    }

    @Override
    public void close() {
        trained.close();
    }
}
