package org.dplstm.cli;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.classifier.ClassifierTokenLevel;
import org.dplstm.training.encoders.PublicEncoder;
import org.dplstm.training.model.FrozenPart;

/**
 * A classifier's token level, warm start and frozen part when the command line leaves them out,
 * decided from measurements (README, "Accuracy at small ε") and from nothing about the private
 * data: characters, the shipped public encoder {@value #ENCODER}, its encoder frozen (only the
 * output layer is trained, so DP-SGD noises a few hundred coordinates). The encoder is the default
 * only where it fits: an explicit token level other than char, a --vocab, or sizes other than
 * the encoder's mean random weights instead, and the run says so; an explicit
 * {@code --init public:NAME} that does not fit is refused (TrainingSession checks it).
 */
final class ClassifierDefaults {

    static final String ENCODER = "multilingual-char";
    static final int EMBEDDING = 16;
    static final int HIDDEN = 32;

    /** The resolved choices and the notes the run prints about them. */
    record Choice(ClassifierTokenLevel tokenLevel, InitChoice init, FrozenPart freeze, int embedding, int hidden,
            List<String> notes) {}

    private ClassifierDefaults() {}

    static Choice resolve(String tokenLevel, String vocab, String init, String freeze, Integer embedding,
            Integer hidden, int layers, boolean bidirectional) {
        ClassifierTokenLevel level = tokenLevel == null
                ? (vocab == null ? ClassifierTokenLevel.CHAR : ClassifierTokenLevel.WORD)
                : ClassifierTokenLevel.parse(tokenLevel);
        int e = embedding != null ? embedding : EMBEDDING;
        int h = hidden != null ? hidden : HIDDEN;
        List<String> notes = new ArrayList<>();
        InitChoice start = InitChoice.parse(init);
        if (init == null) {
            List<String> misfits = new ArrayList<>();
            PublicEncoder encoder = PublicEncoder.named(ENCODER);
            if (level != ClassifierTokenLevel.CHAR) {
                misfits.add("token level " + level.id());
            }
            if (e != encoder.embeddingDim() || h != encoder.hiddenSize() || layers != encoder.layers()
                    || bidirectional != encoder.bidirectional()) {
                misfits.add("sizes embedding " + e + ", hidden " + h + ", " + layers + " layer(s)"
                        + (bidirectional ? ", bidirectional" : ""));
            }
            if (misfits.isEmpty()) {
                start = new InitChoice(null, ENCODER);
            } else {
                notes.add("the default public encoder " + ENCODER + " does not fit " + String.join(" and ", misfits)
                        + " (it reads characters with embedding " + encoder.embeddingDim() + ", hidden "
                        + encoder.hiddenSize() + "): training from random weights");
            }
        }
        FrozenPart frozen = freeze != null ? FrozenPart.parse(freeze)
                : start.publicEncoder() != null ? FrozenPart.ENCODER : FrozenPart.NONE;
        return new Choice(level, start, frozen, e, h, notes);
    }
}
