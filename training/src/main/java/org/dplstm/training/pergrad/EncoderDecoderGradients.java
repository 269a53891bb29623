package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.AttentionScore;
import org.dplstm.training.model.Attention;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.EncodedSource;
import org.dplstm.training.model.EncoderDecoderTrace;
import org.dplstm.training.model.ForwardTrace;
import org.dplstm.training.model.LstmEncoderDecoder;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.PairBatch;
import org.dplstm.training.model.SequenceLayout;
import org.dplstm.training.recurrent.UnrolledLstm;

/**
 * Exact per-example (or per-group) clipped gradient sums for an {@link LstmEncoderDecoder} from
 * one batched forward and one batched backward (ARCHITECTURE §3.10). Every LSTM direction, of the
 * encoder and of the decoder, runs unrolled ({@link UnrolledLstm}) and yields its δ; the layers
 * above the decoder are differentiated in closed form: output layer, attentional layer W_c,
 * attention (softmax over source positions) and, for the general score, W_a. The encoder's
 * per-position output gradients come from attention (through the context and the keys) plus, at
 * each example's last real position, the decoder's initial-state gradient δ_0·W_hh. Each
 * parameter's per-unit squared norm is in ghost form (T×T or S×S Grams, never a per-example weight
 * gradient, never (B, V, F) tensors), the embeddings by equal tokens, a tied output weight with
 * its cross term; the clipped sums are single matmuls over all rows, no second backward.
 */
public final class EncoderDecoderGradients implements Clipper {

    private final LstmEncoderDecoder model;

    public EncoderDecoderGradients(LstmEncoderDecoder model) {
        this.model = model;
    }

    /** The model's parameters, in its order. */
    @Override
    public ParameterSet parameters() {
        return ParameterSet.of(model.parameterNames(), model.parameters());
    }

    /** Clipped sum over a batch of packed pairs ({@link TextBatches}, {@link PairBatch}). */
    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm) {
        return clippedGradientSum(scope, TextBatches.toBatch(batch), TextBatches.unitsOf(batch), maxGradNorm);
    }

    /** Clipped sum over the batch's units (packed pairs, {@link PairBatch}); units in order of first appearance. */
    public ClippedGradients clippedGradientSum(NDManager scope, Batch batch, double maxGradNorm) {
        return clippedGradientSum(scope, batch, TextBatches.unitsOf(batch), maxGradNorm);
    }

    private ClippedGradients clippedGradientSum(NDManager scope, Batch batch, ClippingUnits units,
            double maxGradNorm) {
        Clipper.checkNorm(maxGradNorm);
        ModelConfig config = model.config();
        NDList params = model.parameters();
        if (batch.size() == 0) {
            return ClippedGradients.ofEmptyBatch(scope, params, config.dataType());
        }
        try (NDManager work = scope.newSubManager()) {
            Backward backward = backward(work, PairBatch.unpack(work, batch));
            NDArray squaredNorms = work.zeros(new Shape(units.count()), config.dataType());
            addSquaredNorms(squaredNorms, backward, units);
            NDArray norms = squaredNorms.sqrt();
            // c_u = min(1, C/‖g_u‖); a zero gradient (C/0 = ∞) keeps factor 1
            NDArray factors = units.perExampleOf(norms.pow(-1).muli(maxGradNorm).minimum(1));
            NDList sums = clippedSums(work, backward, factors);
            sums.attach(scope);
            norms.attach(scope);
            return new ClippedGradients(sums, norms);
        }
    }

    /** One LSTM direction's δ (T, B, 4H), input (T, B, in) and h_prev (T, B, H), in its time order. */
    private record LayerDeltas(NDArray delta, NDArray input, NDArray previousHidden) {}

    /** Everything the norms and sums need from the backward pass. */
    private static final class Backward {
        EncoderDecoderTrace trace;
        NDArray logitGradient; // dl (T, B, V)
        NDArray attentionalGradient; // du = ∂L/∂(W_c z) (T, B, F)
        NDArray keyGradient; // ∂L/∂keys (B, S, F)
        LayerDeltas[] decoder; // per layer
        LayerDeltas[][] encoder; // per layer and direction
        NDArray targetEmbeddingGradient; // (T, B, E)
        NDArray sourceEmbeddingGradient; // (S, B, E)
    }

    private Backward backward(NDManager work, PairBatch pairs) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        int layers = config.layers();
        int directions = config.directions();
        UnrolledLstm[][] encoderLstms = new UnrolledLstm[layers][directions];
        UnrolledLstm[] decoderLstms = new UnrolledLstm[layers];
        EncoderDecoderTrace trace = model.forward(work, pairs, params,
                (layer, direction, input, weights) -> {
                    UnrolledLstm lstm = UnrolledLstm.forward(work, input, weights.inputWeight(),
                            weights.recurrentWeight(), weights.inputBias());
                    encoderLstms[layer][direction] = lstm;
                    return lstm.outputs();
                },
                (layer, input, inputWeight, recurrentWeight, bias, initialHidden) -> {
                    UnrolledLstm lstm =
                            UnrolledLstm.forwardFrom(work, input, inputWeight, recurrentWeight, bias, initialHidden);
                    decoderLstms[layer] = lstm;
                    return lstm.outputs();
                });
        Backward result = new Backward();
        result.trace = trace;
        NDArray[] topGradients = headBackward(work, trace, result);

        // the decoder, top layer first; each layer's initial-state gradient goes to its encoder layer
        result.decoder = new LayerDeltas[layers];
        NDArray[] initialStateGradients = new NDArray[layers];
        NDArray outputGradient = topGradients[0];
        for (int layer = layers - 1; layer >= 0; layer--) {
            UnrolledLstm lstm = decoderLstms[layer];
            NDArray delta = lstm.backward(outputGradient);
            result.decoder[layer] = new LayerDeltas(delta, trace.decoderInput(layer), lstm.previousHidden());
            initialStateGradients[layer] = lstm.initialHiddenGradient();
            outputGradient = delta.matMul(params.get(model.decoderLstmIndex(layer)));
        }
        result.targetEmbeddingGradient = outputGradient;
        encoderBackward(work, trace, topGradients[1], initialStateGradients, encoderLstms, result);
        return result;
    }

    /**
     * The closed-form backward from the summed loss through the output layer, W_c and attention:
     * returns ∂L/∂(decoder top states) (T, B, F) and ∂L/∂(encoder top states) (S, B, F), position
     * order, and keeps dl, du and ∂L/∂keys for the norms and sums.
     */
    private NDArray[] headBackward(NDManager work, EncoderDecoderTrace trace, Backward result) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        long features = config.featureSize();
        Attention attention = trace.attention();
        NDArray mask = trace.targetLayout().predictedPositionMask(work, config.dataType());
        NDArray logitGradient = attention.logits().softmax(2).muli(mask).subi(model.targetWeights(work, trace));
        NDArray attentional = attention.attentional();
        // h̃ = tanh(u): du = (dl·W_o) ⊙ (1 − h̃²)
        NDArray attentionalGradient = logitGradient.matMul(model.outputWeight(params))
                .muli(attentional.square().negi().addi(1));
        NDArray combinedGradient = attentionalGradient.matMul(params.get(model.combineIndex())); // (T, B, 2F)
        NDArray contextGradient = combinedGradient.get(new NDIndex(":, :, :{}", features)).transpose(1, 0, 2);
        NDArray directGradient = combinedGradient.get(new NDIndex(":, :, {}:", features));

        EncodedSource source = trace.source();
        NDArray weights = attention.weights(); // α (B, T, S)
        NDArray weightGradient = contextGradient.batchMatMul(source.states().transpose(0, 2, 1));
        // softmax over s: de = α ⊙ (dα − Σ_s α dα); padded positions have α = 0 and stay 0
        NDArray scoreGradient = weightGradient.sub(weights.mul(weightGradient).sum(new int[] {2}, true)).muli(weights);
        NDArray queries = trace.decoderTop().transpose(1, 0, 2);
        NDArray queryGradient = scoreGradient.batchMatMul(source.keys()); // (B, T, F)
        NDArray keyGradient = scoreGradient.transpose(0, 2, 1).batchMatMul(queries); // (B, S, F)
        NDArray stateGradient = weights.transpose(0, 2, 1).batchMatMul(contextGradient); // through c
        if (config.attention() == AttentionScore.GENERAL) {
            stateGradient.addi(keyGradient.matMul(params.get(model.attentionIndex()))); // keys = h̄ W_aᵀ
        } else {
            stateGradient.addi(keyGradient); // keys = h̄
        }
        result.logitGradient = logitGradient;
        result.attentionalGradient = attentionalGradient;
        result.keyGradient = keyGradient;
        return new NDArray[] {directGradient.add(queryGradient.transpose(1, 0, 2)), stateGradient.transpose(1, 0, 2)};
    }

    /**
     * The encoder, top layer first: each direction's output gradient is the part of the layer
     * above's (or attention's) input gradient in its time order, plus the decoder's initial-state
     * gradient at the direction's last real step (where the decoder read the final state).
     */
    private void encoderBackward(NDManager work, EncoderDecoderTrace trace, NDArray topGradient,
            NDArray[] initialStateGradients, UnrolledLstm[][] lstms, Backward result) {
        ModelConfig config = model.config();
        ForwardTrace encoder = trace.encoder();
        int directions = config.directions();
        long hidden = config.hiddenSize();
        NDArray lastPosition = encoder.layout().lastPositionMask(work, config.dataType()); // (S, B, 1)
        result.encoder = new LayerDeltas[config.layers()][directions];
        NDArray positionGradient = topGradient;
        for (int layer = config.layers() - 1; layer >= 0; layer--) {
            NDArray inputGradient = null;
            for (int d = 0; d < directions; d++) {
                NDArray part = positionGradient.get(new NDIndex(":, :, {}:{}", d * hidden, (d + 1) * hidden));
                NDArray outputGradient = d == 1 ? SequenceLayout.gatherRows(part, encoder.reversedRows()) : part;
                NDArray initial = initialStateGradients[layer].get(new NDIndex(":, {}:{}", d * hidden, (d + 1) * hidden));
                outputGradient = outputGradient.add(lastPosition.mul(initial.expandDims(0)));
                UnrolledLstm lstm = lstms[layer][d];
                NDArray delta = lstm.backward(outputGradient);
                result.encoder[layer][d] = new LayerDeltas(delta, encoder.input(layer, d), lstm.previousHidden());
                NDArray gradient = delta.matMul(model.parameters().get(model.encoderLstmIndex(layer, d)));
                if (d == 1) {
                    gradient = SequenceLayout.gatherRows(gradient, encoder.reversedRows());
                }
                inputGradient = inputGradient == null ? gradient : inputGradient.addi(gradient);
            }
            positionGradient = inputGradient;
        }
        result.sourceEmbeddingGradient = positionGradient;
    }

    private void addSquaredNorms(NDArray squaredNorms, Backward backward, ClippingUnits units) {
        ModelConfig config = model.config();
        EncoderDecoderTrace trace = backward.trace;
        for (LayerDeltas[] layer : backward.encoder) {
            for (LayerDeltas direction : layer) {
                addLstmNorm(squaredNorms, direction, units);
            }
        }
        for (LayerDeltas layer : backward.decoder) {
            addLstmNorm(squaredNorms, layer, units);
        }
        NDList params = model.parameters();
        FusedPerExampleGradients.addEmbeddingNorm(squaredNorms, backward.sourceEmbeddingGradient,
                trace.encoder().tokens(), units, FusedPerExampleGradients.tableRows(params.get(model.sourceEmbeddingIndex())));
        FusedPerExampleGradients.addEmbeddingNorm(squaredNorms, backward.targetEmbeddingGradient,
                trace.targetTokens(), units, FusedPerExampleGradients.tableRows(params.get(model.targetEmbeddingIndex())));
        if (config.attention() == AttentionScore.GENERAL) {
            // W_a: Σ_{s,s'} (dk_s·dk_s')(h̄_s·h̄_s') over source positions
            try (NDArray norms = GhostNorms.weightOnly(backward.keyGradient.transpose(1, 0, 2), units,
                    trace.encoder().topOutputs())) {
                squaredNorms.addi(norms);
            }
        }
        // W_c: Σ_{t,t'} (du_t·du_t')(c_t·c_t' + h_t·h_t') over target positions
        try (NDArray norms = GhostNorms.weightOnly(backward.attentionalGradient, units,
                trace.attention().context().transpose(1, 0, 2), trace.decoderTop())) {
            squaredNorms.addi(norms);
        }
        OutputLayerGradients output = outputLayer(backward);
        try (NDArray norms = output.squaredNorms(units)) {
            squaredNorms.addi(norms);
        }
        if (config.tiedEmbedding()) {
            squaredNorms.addi(output.tiedCrossTerm(units, trace.targetTokens(), backward.targetEmbeddingGradient)
                    .muli(2));
        }
    }

    private static void addLstmNorm(NDArray squaredNorms, LayerDeltas layer, ClippingUnits units) {
        // W_ih fed by the layer's input, W_hh by h_prev, both with δ; the bias with δ
        try (NDArray norms = GhostNorms.linearLayer(layer.delta(), units, layer.input(), layer.previousHidden())) {
            squaredNorms.addi(norms);
        }
    }

    private static OutputLayerGradients outputLayer(Backward backward) {
        return new OutputLayerGradients(backward.logitGradient, backward.trace.attention().attentional());
    }

    private NDList clippedSums(NDManager work, Backward backward, NDArray factors) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        EncoderDecoderTrace trace = backward.trace;
        NDArray[] sums = new NDArray[params.size()];
        long batch = factors.getShape().get(0);
        NDArray timeFactors = factors.reshape(1, batch, 1);
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                putLstmSums(sums, model.encoderLstmIndex(layer, d), backward.encoder[layer][d], timeFactors);
            }
            putLstmSums(sums, model.decoderLstmIndex(layer), backward.decoder[layer], timeFactors);
        }
        sums[model.sourceEmbeddingIndex()] = FusedPerExampleGradients.embeddingSum(work,
                params.get(model.sourceEmbeddingIndex()), backward.sourceEmbeddingGradient.muli(timeFactors),
                trace.encoder().tokens());
        sums[model.targetEmbeddingIndex()] = FusedPerExampleGradients.embeddingSum(work,
                params.get(model.targetEmbeddingIndex()), backward.targetEmbeddingGradient.muli(timeFactors),
                trace.targetTokens());
        long features = config.featureSize();
        if (config.attention() == AttentionScore.GENERAL) {
            // (c⊙dk)ᵀ h̄ over all B·S rows
            NDArray scaled = backward.keyGradient.mul(factors.reshape(batch, 1, 1)).reshape(-1, features);
            sums[model.attentionIndex()] = scaled.transpose().matMul(trace.source().states().reshape(-1, features));
        }
        // (c⊙du)ᵀ [c; h] over all B·T rows
        NDArray scaled = backward.attentionalGradient.mul(timeFactors).reshape(-1, features).transpose();
        NDArray context = trace.attention().context().transpose(1, 0, 2).reshape(-1, features);
        sums[model.combineIndex()] = scaled.matMul(context).concat(scaled.matMul(trace.decoderTop().reshape(-1, features)), 1);
        NDArray[] output = outputLayer(backward).clippedSums(factors);
        if (config.tiedEmbedding()) {
            sums[model.targetEmbeddingIndex()].addi(output[0]);
        } else {
            sums[model.outputWeightIndex()] = output[0];
        }
        sums[model.outputBiasIndex()] = output[1];
        return new NDList(sums);
    }

    /** (c⊙δ)ᵀx for W_ih, (c⊙δ)ᵀh_prev for W_hh, Σ c⊙δ for the bias, each as one matmul over B·T rows. */
    private static void putLstmSums(NDArray[] sums, int index, LayerDeltas layer, NDArray timeFactors) {
        NDArray scaled = layer.delta().muli(timeFactors);
        NDArray rows = scaled.reshape(-1, scaled.getShape().get(2)).transpose();
        NDArray input = layer.input();
        sums[index] = rows.matMul(input.reshape(-1, input.getShape().get(2)));
        NDArray previous = layer.previousHidden();
        sums[index + 1] = rows.matMul(previous.reshape(-1, previous.getShape().get(2)));
        sums[index + 2] = scaled.sum(new int[] {0, 1});
    }
}
