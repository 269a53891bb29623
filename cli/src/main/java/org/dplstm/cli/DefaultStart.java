package org.dplstm.cli;

import java.util.List;
import java.util.function.Function;
import org.dplstm.training.encoders.PublicEncoder;

/**
 * A task's warm start when the command line leaves {@code --init} out: the task's shipped public
 * model where it fits the run, else random weights with a note saying why. The language model's
 * and the encoder-decoder's defaults ({@link LanguageModelDefaults}, {@link Seq2SeqDefaults}) differ
 * only in which model and what makes it fit; a classifier's start also depends on its labels
 * ({@link ClassifierDefaults}).
 */
final class DefaultStart {

    /** The resolved warm start and the notes the run prints about it. */
    record Choice(InitChoice init, List<String> notes) {}

    private DefaultStart() {}

    /**
     * @param init the {@code --init} given, or null
     * @param applies whether the run's token levels are the shipped model's (else random weights,
     *     without a note: the model was not a candidate)
     * @param role how the note names the model, e.g. "the public language model NAME (...)"
     * @param misfit why the model does not fit the run, or null when it does
     */
    static Choice resolve(String init, boolean applies, String modelName, String role,
            Function<PublicEncoder, String> misfit) {
        InitChoice start = InitChoice.parse(init);
        if (init != null || !applies) {
            return new Choice(start, List.of());
        }
        String reason = misfit.apply(PublicEncoder.named(modelName));
        if (reason == null) {
            return new Choice(new InitChoice(null, modelName), List.of());
        }
        return new Choice(start, List.of(role + " " + reason + ": training from random weights"));
    }
}
