package org.dplstm.training.languagemodel;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.vocab.Vocabulary;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.ModelFile;
import org.dplstm.training.session.ManagedModel;

/**
 * A trained language model with its encoder, for generating text. Loaded from (and saved to) a
 * run directory: {@code model.bin}, {@code lm_encoder.json}, {@code vocabulary.json}.
 */
public final class TextGenerator implements AutoCloseable {

    private final ManagedModel<LstmLanguageModel> trained;
    private final LanguageModelEncoder encoder;

    TextGenerator(ManagedModel<LstmLanguageModel> trained, LanguageModelEncoder encoder) {
        this.trained = trained;
        this.encoder = encoder;
    }

    /**
     * Loads a trained language model onto {@code device}, once the run's audit log (verified with
     * {@code key}) binds its model and encoder.
     */
    public static TextGenerator load(Path runDir, Device device, AuditKey key) throws IOException {
        ManagedModel.requireRunOf(runDir, RunFiles.LM_ENCODER, "a language-model", "train --task lm");
        return ManagedModel.load(runDir, device, key, ModelFile::loadLanguageModel)
                .into(model -> new TextGenerator(model, LanguageModelEncoder.load(runDir)));
    }

    public LstmLanguageModel model() {
        return trained.model();
    }

    public LanguageModelEncoder encoder() {
        return encoder;
    }

    /**
     * The continuation of {@code prompt} (sanitized and tokenized like the training text), as text
     * to append to it: sampled token by token until the end-of-text boundary or the token limit.
     * Padding is never sampled; the unknown token is, as the model predicts it (written {@code
     * <unk>}), so the continuation stays on the path the model learned (docs/ARCHITECTURE.md).
     */
    public String generate(String prompt, GenerationOptions options) {
        SplittableRandom random = new SplittableRandom(
                options.seed().orElseGet(() -> new SecureRandom().nextLong()));
        List<Integer> generated = new ArrayList<>();
        try (NDManager scope = trained.manager().newSubManager()) {
            LstmStepper stepper = new LstmStepper(trained.model(), scope);
            double[] logits = null;
            for (int id : encoder.encodePrompt(prompt)) {
                logits = stepper.step(id);
            }
            for (int i = 0; i < options.maxTokens(); i++) {
                int next = sample(logits, options, random);
                if (next == encoder.boundaryId()) {
                    break;
                }
                generated.add(next);
                logits = stepper.step(next);
            }
        }
        boolean afterText = !encoder.clean(prompt).isBlank();
        return encoder.decode(generated.stream().mapToInt(Integer::intValue).toArray(), afterText);
    }

    /** One token from softmax(logits / T) restricted to the k most probable (greedy at T = 0). */
    static int sample(double[] logits, GenerationOptions options, SplittableRandom random) {
        double[] scores = logits.clone();
        scores[Vocabulary.PADDING_ID] = Double.NEGATIVE_INFINITY;
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        if (options.temperature() == 0) {
            return best;
        }
        if (options.topK() > 0 && options.topK() < scores.length) {
            double[] sorted = scores.clone();
            Arrays.sort(sorted);
            double cut = sorted[sorted.length - options.topK()];
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] < cut) {
                    scores[i] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        double[] weights = new double[scores.length];
        double total = 0;
        for (int i = 0; i < scores.length; i++) {
            weights[i] = Math.exp((scores[i] - scores[best]) / options.temperature());
            total += weights[i];
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            draw -= weights[i];
            if (draw < 0 && weights[i] > 0) {
                return i;
            }
        }
        return best;
    }

    /** Writes the model and encoder into {@code dir} (each file atomically). */
    public void save(Path dir) throws IOException {
        trained.save(dir);
        encoder.save(dir);
    }

    @Override
    public void close() {
        trained.close();
    }
}
