package org.dplstm.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.dplstm.training.classifier.ClassifierTokenLevel;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.ModelKind;
import org.dplstm.training.model.Pooling;

/**
 * A classifier's model, token level, warm start and frozen part when the command line leaves them
 * out, decided from measurements across language-type and topic-type sets (README, "Accuracy at
 * small ε") and from nothing about the private texts: only the label names and the number of records.
 *
 * <p>The default model is the n-gram one ({@link #model}): one linear layer over hashed character
 * n-grams, nothing learned in its features and a convex loss, more accurate at ε = 3 than the
 * recurrent model on every set measured. The exception is language identification with few texts
 * per label, where the public encoder's output layer, a few dozen noisy weights per label against
 * the n-gram model's 8,192, keeps its accuracy down to ε = 1 while the n-gram model's falls (16
 * points on manlang). The rest of this class chooses for the recurrent model.
 *
 * <p>The recurrent model's default is words from random weights, read out as the mean of the LSTM's states over the
 * text: across both kinds of set it is the choice that is nowhere worse than before. The mean gives
 * every word's embedding its own share of the clipped gradient; under DP-SGD's noise it won or tied
 * at ε = 3 on every set measured. Characters ({@code --token-level char}) start from the shipped public
 * encoder {@value #ENCODER}: far better on labels that are a language or a script, worse on
 * topics, whose words the language-ID encoder does not know. So when the labels name languages
 * ({@link LanguageLabels}: the task is language identification, which the encoder was trained for)
 * and nothing on the command line asks for words or other sizes, characters from the encoder are
 * the default. How much of the encoder DP-SGD trains depends on the privacy units (records, or users)
 * per label: with fewer than {@value #FEW_UNITS_PER_LABEL} only the output layer, on the encoder's last state (the noise
 * swamps the LSTM's gradient), with more the LSTM too (its embedding frozen), on the states' mean.
 * Label names and the number of privacy units are treated as public ({@link TrainingSetFacts}); the
 * texts are not read. Where the encoder does not fit (sizes other than its own) a character run
 * trains from random weights, read out as the last state, and says so; an explicit
 * {@code --init public:NAME} that does not fit is refused (TrainingSession checks it).
 */
final class ClassifierDefaults {

    static final String ENCODER = "multilingual-char";
    static final int EMBEDDING = 16;
    static final int HIDDEN = 32;
    /**
     * Below this many privacy units (training records, or users under --privacy-unit user) per label
     * a start from the public encoder trains its output layer only.
     */
    static final int FEW_UNITS_PER_LABEL = 500;

    /** The model chosen and the notes the run prints about it. */
    record ModelChoice(ModelKind kind, List<String> notes) {}

    /** The resolved choices and the notes the run prints about them. */
    record Choice(ClassifierTokenLevel tokenLevel, InitChoice init, FrozenPart freeze, int embedding, int hidden,
            Pooling pooling, List<String> notes) {

        /** These choices with the model's notes printed before their own. */
        Choice withModelNotes(ModelChoice model) {
            List<String> all = new ArrayList<>(model.notes());
            all.addAll(notes);
            return new Choice(tokenLevel, init, freeze, embedding, hidden, pooling, all);
        }
    }

    private ClassifierDefaults() {}

    /**
     * @param trainingSet the training set's label names and size ({@link TrainingSetFacts#UNREAD} before it is read)
     * @param canFreeze whether the run can leave parameters untrained (not on a Spark cluster)
     * @param wordOptions whether the command line gave an option sized for words ({@code --vocab}, {@code --vocab-size},
     *     {@code --max-length})
     */
    static Choice resolve(String tokenLevel, String init, String freeze, CellKind cell, Integer embedding,
            Integer hidden, int layers, boolean bidirectional, String pooling, TrainingSetFacts trainingSet,
            boolean canFreeze, boolean wordOptions) {
        int e = embedding != null ? embedding : EMBEDDING;
        int h = hidden != null ? hidden : HIDDEN;
        List<String> notes = new ArrayList<>();
        PublicEncoder encoder = PublicEncoder.named(ENCODER);
        Function<PublicEncoder, String> misfit = DefaultStart.lstmMisfit(cell, e, h, layers, bidirectional);
        boolean encoderFits = misfit.apply(encoder) == null;
        ClassifierTokenLevel level = tokenLevel != null ? ClassifierTokenLevel.parse(tokenLevel) : ClassifierTokenLevel.WORD;
        if (tokenLevel == null && init == null && !wordOptions && canFreeze && encoderFits
                && LanguageLabels.isLanguageIdentification(trainingSet.labels())) {
            level = ClassifierTokenLevel.CHAR;
            notes.add("the labels name languages (language identification): characters from the public encoder "
                    + ENCODER + " (trained to tell languages apart); --token-level word for words");
        }
        DefaultStart.Choice defaultStart = DefaultStart.resolve(init, level == ClassifierTokenLevel.CHAR, ENCODER,
                "the public encoder " + ENCODER + " (the default start for characters)", misfit);
        InitChoice start = defaultStart.init();
        notes.addAll(defaultStart.notes());
        boolean fromEncoder = start.publicEncoder() != null;
        FrozenPart frozen = freeze != null ? FrozenPart.parse(freeze) : !fromEncoder ? FrozenPart.NONE
                : trainingSet.unitsPerLabel() < FEW_UNITS_PER_LABEL ? FrozenPart.ENCODER : FrozenPart.EMBEDDING;
        if (freeze == null && frozen == FrozenPart.ENCODER) {
            notes.add(String.format(Locale.ROOT, "%d training %s for %d labels (fewer than %d per label): only the"
                    + " output layer is trained (--freeze encoder)", trainingSet.units(), trainingSet.unitsName(),
                    trainingSet.labels().size(), FEW_UNITS_PER_LABEL));
        }
        // a frozen encoder is read as it was trained, at its last state; subwords and characters from
        // random weights were measured with the last state only
        Pooling readout = pooling != null ? Pooling.parse(pooling)
                : level == ClassifierTokenLevel.WORD || fromEncoder && frozen != FrozenPart.ENCODER ? Pooling.MEAN
                : Pooling.LAST;
        return new Choice(level, start, frozen, e, h, readout, notes);
    }

    /**
     * The classifier's model: {@code --model} when given; otherwise the n-gram model, except the
     * recurrent one when an option of its own was given ({@code recurrentOptions}), when the steps
     * are split over devices or a cluster (the n-gram model runs in one process), and when the
     * labels name languages with fewer than {@value #FEW_UNITS_PER_LABEL} privacy units per label
     * (the public encoder's output layer, {@link #resolve}). Before the data is read the choice is
     * provisional: the recurrent model, whose checks are the ones that need no labels.
     *
     * @param recurrentOptions the options given that only the recurrent model reads
     * @param oneProcess whether the steps run in this one process, every parameter trainable
     */
    static ModelChoice model(String model, List<String> recurrentOptions, TrainingSetFacts trainingSet,
            boolean oneProcess) {
        if (model != null) {
            return new ModelChoice(ModelKind.parse(model), List.of());
        }
        if (trainingSet.unread()) {
            return new ModelChoice(ModelKind.RECURRENT, List.of());
        }
        if (!recurrentOptions.isEmpty()) {
            return new ModelChoice(ModelKind.RECURRENT, List.of("the recurrent classifier: "
                    + String.join(", ", recurrentOptions) + (recurrentOptions.size() == 1 ? " is an option" : " are options")
                    + " of it alone (the default is the n-gram classifier without them, --model ngram)"));
        }
        if (!oneProcess) {
            return new ModelChoice(ModelKind.RECURRENT, List.of("the recurrent classifier: the n-gram one (the default"
                    + " elsewhere) trains in one process, not with --gpus or --spark-master"));
        }
        if (LanguageLabels.isLanguageIdentification(trainingSet.labels())
                && trainingSet.unitsPerLabel() < FEW_UNITS_PER_LABEL) {
            return new ModelChoice(ModelKind.RECURRENT, List.of(String.format(Locale.ROOT, "the recurrent classifier"
                    + " (fewer than %d training %s per language label: the public encoder's output layer); --model"
                    + " ngram for the n-gram one", FEW_UNITS_PER_LABEL, trainingSet.unitsName())));
        }
        return new ModelChoice(ModelKind.NGRAM, List.of("a linear classifier over hashed character n-grams (the default;"
                + " --model lstm for the recurrent one)"));
    }

    /**
     * The n-gram model's choices ({@code --model ngram}, or the default): its own token level, zero
     * weights (no warm start, nothing frozen); the recurrent sizes are unused.
     */
    static Choice ngram(List<String> notes) {
        return new Choice(ClassifierTokenLevel.NGRAM, InitChoice.parse(null), FrozenPart.NONE, EMBEDDING, HIDDEN,
                Pooling.LAST, notes);
    }
}
