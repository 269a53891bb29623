package org.dplstm.cli;

import java.util.List;
import java.util.function.Function;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.recurrent.CellKind;

/**
 * A task's warm start when the command line leaves {@code --init} out: the task's shipped public
 * model where it fits the run, else random weights with a note saying why. The language model's
 * and the encoder-decoder's defaults ({@link LanguageModelDefaults}, {@link Seq2SeqDefaults}) differ
 * only in which model and what makes it fit; a classifier's ({@link ClassifierDefaults}) takes this
 * rule once its labels and options have chosen characters.
 */
final class DefaultStart {

    /** The resolved warm start and the notes the run prints about it. */
    record Choice(InitChoice init, List<String> notes) {}

    private DefaultStart() {}

    /**
     * The start of a run that named {@code init} (kept as given), or else the shipped model where
     * it applies and fits.
     *
     * @param init the {@code --init} given, or null
     * @param applies whether the run's token levels are the shipped model's (else random weights,
     *     without a note: the model was not a candidate)
     * @param modelName the shipped model's name, as in {@code --init public:NAME}
     * @param noteSubject how the note names the model, e.g. "the public language model NAME (...)"
     * @param misfit given the shipped model, why it does not fit the run, or null when it fits
     * @return the start and the note (none when the shipped model was chosen or not a candidate)
     */
    static Choice resolve(String init, boolean applies, String modelName, String noteSubject,
            Function<PublicEncoder, String> misfit) {
        InitChoice start = InitChoice.parse(init);
        if (init != null || !applies) {
            return new Choice(start, List.of());
        }
        String reason = misfit.apply(PublicEncoder.named(modelName));
        if (reason == null) {
            return new Choice(new InitChoice(null, modelName), List.of());
        }
        return new Choice(start, List.of(noteSubject + " " + reason + ": training from random weights"));
    }

    /**
     * Why a shipped LSTM does not fit a run of this cell and these sizes (the cell first), or null
     * when it fits: the misfit rule of the classifier's and the language model's starts.
     */
    static Function<PublicEncoder, String> lstmMisfit(CellKind cell, int embedding, int hidden, int layers,
            boolean bidirectional) {
        return model -> cell != CellKind.LSTM ? "is an LSTM, not a " + cell.id()
                : model.sizeMisfit(embedding, hidden, layers, bidirectional);
    }
}
