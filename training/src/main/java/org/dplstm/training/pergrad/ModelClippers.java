package org.dplstm.training.pergrad;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.NgramLinearClassifier;

/**
 * Which clipper computes a model's per-unit clipped sums, by the model's exact class: the clipping
 * strategy belongs to the mechanism, not to the model (a model only computes its forward, loss and
 * plain gradient). {@link #standard()} has the fused method for the project's classifier,
 * language model and encoder-decoder (ARCHITECTURE §3), and the closed form of the n-gram classifier; {@link #with} adds a strategy for another model. Immutable.
 */
public final class ModelClippers {

    private final Map<Class<?>, Function<DifferentiableModel, Clipper>> clippers;

    private ModelClippers(Map<Class<?>, Function<DifferentiableModel, Clipper>> clippers) {
        this.clippers = Map.copyOf(clippers);
    }

    /** The fused method, with the gate-gradient method of the model's device, for both text models. */
    public static ModelClippers standard() {
        return new ModelClippers(Map.of())
                .with(LstmClassifier.class, FusedPerExampleGradients::new)
                .with(LstmLanguageModel.class, FusedPerExampleGradients::new)
                .with(LstmEncoderDecoder.class, EncoderDecoderGradients::new)
                .with(NgramLinearClassifier.class, NgramLinearGradients::new);
    }

    /** These strategies plus {@code clipper} for models of exactly {@code type}. */
    public <M extends DifferentiableModel> ModelClippers with(Class<M> type, Function<M, Clipper> clipper) {
        Map<Class<?>, Function<DifferentiableModel, Clipper>> more = new LinkedHashMap<>(clippers);
        more.put(type, model -> clipper.apply(type.cast(model)));
        return new ModelClippers(more);
    }

    /** The clipper for {@code model}, over its own parameters. */
    public Clipper clipperFor(DifferentiableModel model) {
        Function<DifferentiableModel, Clipper> clipper = clippers.get(model.getClass());
        if (clipper == null) {
            throw new IllegalArgumentException("model " + model.getClass().getName() + " has no clipping strategy"
                    + " (supported: " + clippers.keySet().stream().map(Class::getSimpleName).sorted().toList()
                    + "; add one with ModelClippers.with)");
        }
        return clipper.apply(model);
    }
}
