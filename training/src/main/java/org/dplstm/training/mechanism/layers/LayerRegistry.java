package org.dplstm.training.mechanism.layers;

import ai.djl.modality.nlp.embedding.TrainableWordEmbedding;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dplstm.training.recurrent.GateGradientMethod;

/**
 * Which leaf blocks have a fused per-example method, by exact class (a subclass may compute
 * otherwise and is not assumed to be walkable). Immutable; {@link #with} adds a method.
 */
public final class LayerRegistry {

    private final Map<Class<? extends Block>, FusedLayer<? extends Block>> layers;

    private LayerRegistry(Map<Class<? extends Block>, FusedLayer<? extends Block>> layers) {
        this.layers = Map.copyOf(layers);
    }

    /**
     * Linear, TrainableWordEmbedding, LSTM, GRU, LayerNorm, Conv1d and {@link TiedLinear}, the
     * recurrent blocks' δ by {@code method} (see {@link GateGradientMethod}).
     */
    public static LayerRegistry standard(GateGradientMethod method) {
        Map<Class<? extends Block>, FusedLayer<? extends Block>> layers = new LinkedHashMap<>();
        layers.put(Linear.class, new LinearLayer());
        layers.put(TrainableWordEmbedding.class, new EmbeddingLayer());
        layers.put(LSTM.class, RecurrentLayer.lstm(method));
        layers.put(GRU.class, RecurrentLayer.gru(method));
        layers.put(LayerNorm.class, new LayerNormLayer());
        layers.put(Conv1d.class, new Conv1dLayer());
        layers.put(TiedLinear.class, new TiedLinearLayer());
        return new LayerRegistry(layers);
    }

    /** This registry plus {@code layer} for blocks of exactly {@code type}. */
    public <B extends Block> LayerRegistry with(Class<B> type, FusedLayer<B> layer) {
        Map<Class<? extends Block>, FusedLayer<? extends Block>> more = new LinkedHashMap<>(layers);
        more.put(type, layer);
        return new LayerRegistry(more);
    }

    /** The method for {@code block}'s exact class. */
    @SuppressWarnings("unchecked")
    public Optional<FusedLayer<Block>> layerFor(Block block) {
        return Optional.ofNullable((FusedLayer<Block>) layers.get(block.getClass()));
    }

    /** Simple names of the supported leaf blocks, sorted (for messages). */
    public List<String> supportedNames() {
        return layers.keySet().stream().map(Class::getSimpleName).sorted().toList();
    }
}
