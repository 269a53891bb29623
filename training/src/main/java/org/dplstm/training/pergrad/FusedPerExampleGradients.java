package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.ForwardTrace;
import org.dplstm.training.model.GradientCollectors;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.SequenceLayout;
import org.dplstm.training.recurrent.EngineLstm;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.dplstm.training.recurrent.UnrolledLstm;

/**
 * Exact per-example (or per-group) clipped gradient sums for an LSTM text model ({@link
 * LstmClassifier} or {@link LstmLanguageModel}) from one batched forward and one batched backward
 * (ARCHITECTURE §3): δ = ∂L/∂(gate pre-activations) per layer and direction (by {@link
 * GateGradientMethod}), then for every parameter each unit's squared gradient norm in "ghost" form
 * ‖Σ_t g_t a_tᵀ‖² = Σ_{t,s} (g_t·g_s)(a_t·a_s) (one Gram G = δδᵀ serves W_ih, W_hh and the bias;
 * the embedding adds rows hit by the same token; the head — a classifier's last-state output
 * layer or a language model's per-position one — by its {@link FusedHead}), the clip factors
 * c = min(1, C/‖g‖), and the clipped sums as single matmuls over all B·T rows, (c⊙δ)ᵀa, with no
 * second backward through the model. Only the head differs between the two kinds of model.
 */
public final class FusedPerExampleGradients {

    private final LstmStackModel model;
    private final FusedHead head;
    private final GateGradientMethod method;

    /** Chooses the method for the device of the model's parameters (see {@link GateGradientMethod}). */
    public FusedPerExampleGradients(LstmClassifier model) {
        this(model, GateGradientMethod.forDevice(model.manager().getDevice()));
    }

    public FusedPerExampleGradients(LstmClassifier model, GateGradientMethod method) {
        this(model, new ClassifierHead(model), method);
    }

    /** Chooses the method for the device of the model's parameters (see {@link GateGradientMethod}). */
    public FusedPerExampleGradients(LstmLanguageModel model) {
        this(model, GateGradientMethod.forDevice(model.manager().getDevice()));
    }

    public FusedPerExampleGradients(LstmLanguageModel model, GateGradientMethod method) {
        this(model, new LanguageModelHead(model), method);
    }

    private FusedPerExampleGradients(LstmStackModel model, FusedHead head, GateGradientMethod method) {
        this.model = model;
        this.head = head;
        this.method = method;
    }

    /** For either kind of model, with the given method. */
    public static FusedPerExampleGradients of(LstmStackModel model, GateGradientMethod method) {
        if (model instanceof LstmClassifier classifier) {
            return new FusedPerExampleGradients(classifier, method);
        }
        if (model instanceof LstmLanguageModel languageModel) {
            return new FusedPerExampleGradients(languageModel, method);
        }
        throw new IllegalArgumentException("model must be an LstmClassifier or LstmLanguageModel, was "
                + model.getClass().getName());
    }

    /** For either kind of model, the method chosen for its device. */
    public static FusedPerExampleGradients of(LstmStackModel model) {
        return of(model, GateGradientMethod.forDevice(model.manager().getDevice()));
    }

    public GateGradientMethod method() {
        return method;
    }

    static void checkNorm(double maxGradNorm) {
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("max grad norm must be > 0, was " + maxGradNorm);
        }
    }

    /** Clipped sum over the batch's units; units in order of first appearance. */
    public ClippedGradients clippedGradientSum(NDManager scope, Batch batch, double maxGradNorm) {
        return clippedGradientSum(scope, batch, maxGradNorm, null);
    }

    /** As above with a given dropout scale (B, F), or null for a fresh one. */
    public ClippedGradients clippedGradientSum(
            NDManager scope, Batch batch, double maxGradNorm, NDArray dropoutScale) {
        checkNorm(maxGradNorm);
        ModelConfig config = model.config();
        NDList params = model.parameters();
        if (batch.size() == 0) {
            NDList zeros = new NDList();
            for (NDArray p : params) {
                zeros.add(scope.zeros(p.getShape(), p.getDataType()));
            }
            return new ClippedGradients(zeros, scope.zeros(new Shape(0), config.dataType()));
        }
        ClippingUnits units = ClippingUnits.of(batch);
        try (NDManager work = scope.newSubManager()) {
            Backward backward = method == GateGradientMethod.ENGINE_IDENTITY
                    ? engineIdentityBackward(work, batch, dropoutScale)
                    : unrolledBackward(work, batch, dropoutScale);
            ForwardTrace trace = backward.trace;

            NDArray squaredNorms = work.zeros(new Shape(units.count()), config.dataType());
            addLstmNorms(squaredNorms, backward, trace, units);
            addEmbeddingNorm(squaredNorms, backward.embeddingGradient, trace.tokens(), units);
            backward.head.addSquaredNorms(squaredNorms, units, trace, backward.embeddingGradient);
            NDArray norms = squaredNorms.sqrt();
            // c_u = min(1, C/‖g_u‖); a zero gradient (C/0 = ∞) keeps factor 1
            NDArray unitFactors = norms.pow(-1).muli(maxGradNorm).minimum(1);
            NDArray factors = units.perExampleOf(unitFactors);

            NDList sums = clippedSums(work, backward, trace, factors);
            sums.attach(scope);
            norms.attach(scope);
            return new ClippedGradients(sums, norms);
        }
    }

    /** Everything the norms and sums need from the backward pass. */
    private static final class Backward {
        ForwardTrace trace;
        FusedHead.Gradients head;
        NDArray embeddingGradient; // (T, B, E) position order
        NDArray[][] deltas; // δ (T, B, 4H) per layer and direction
        NDArray[][] previousHidden; // h_prev (T, B, H)
    }

    /** δ by the unrolled LSTM: engine ops step by step, no autograd (fastest on a CPU). */
    private Backward unrolledBackward(NDManager work, Batch batch, NDArray dropoutScale) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        UnrolledLstm[][] lstms = new UnrolledLstm[config.layers()][config.directions()];
        ForwardTrace trace = model.forward(work, batch, params, true, dropoutScale,
                (layer, direction, input, inputWeight, recurrentWeight, bias) -> {
                    UnrolledLstm lstm = UnrolledLstm.forward(work, input, inputWeight, recurrentWeight, bias);
                    lstms[layer][direction] = lstm;
                    return lstm.outputs();
                });
        Backward result = new Backward();
        result.trace = trace;
        result.head = head.backward(work, trace, batch);
        int layers = config.layers();
        int directions = config.directions();
        long hidden = config.hiddenSize();
        NDArray[] outputGradients = result.head.topOutputGradients().clone();
        result.deltas = new NDArray[layers][directions];
        result.previousHidden = new NDArray[layers][directions];
        for (int layer = layers - 1; layer >= 0; layer--) {
            NDArray inputGradient = null;
            for (int d = 0; d < directions; d++) {
                NDArray delta = lstms[layer][d].backward(outputGradients[d]);
                outputGradients[d].close();
                result.deltas[layer][d] = delta;
                result.previousHidden[layer][d] = lstms[layer][d].previousHidden();
                NDArray gradient = inputGradient(trace, layer, d, delta);
                inputGradient = inputGradient == null ? gradient : inputGradient.addi(gradient);
            }
            if (layer == 0) {
                result.embeddingGradient = inputGradient;
            } else {
                for (int d = 0; d < directions; d++) {
                    NDArray part = inputGradient.get(new NDIndex(":, :, {}:{}", d * hidden, (d + 1) * hidden));
                    outputGradients[d] = d == 1 ? SequenceLayout.gatherRows(part, trace.reversedRows()) : part;
                }
            }
        }
        return result;
    }

    /**
     * δ by ARCHITECTURE §3 steps 1-3: u = x·W_ihᵀ + b outside the LSTM, the engine's fused LSTM (cuDNN
     * on a GPU) on u with identity input weights and no biases, a zero-valued leaf probe added to
     * each u, every parameter a constant, and one backward: δ is the probe's gradient. Its extra
     * (4H×4H) matmul per token is negligible on a GPU and dominant on a CPU.
     */
    private Backward engineIdentityBackward(NDManager work, Batch batch, NDArray dropoutScale) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        int layers = config.layers();
        int directions = config.directions();
        NDArray[][] probes = new NDArray[layers][directions];
        NDArray identity = work.eye(4 * config.hiddenSize(), 4 * config.hiddenSize(), 0, config.dataType());
        Backward result;
        try (GradientCollector collector = GradientCollectors.exclusive(work)) {
            ForwardTrace trace = model.forward(work, batch, params, true, dropoutScale,
                    (layer, direction, input, inputWeight, recurrentWeight, bias) -> {
                        NDArray projected = input.matMul(inputWeight.transpose()).add(bias);
                        NDArray probe = work.zeros(projected.getShape(), projected.getDataType());
                        probe.setRequiresGradient(true);
                        probes[layer][direction] = probe;
                        return EngineLstm.runWithoutBias(projected.add(probe), identity, recurrentWeight, true);
                    });
            result = new Backward();
            result.trace = trace;
            result.head = head.backward(work, trace, batch);
            NDArray[] outputGradients = result.head.topOutputGradients();
            NDArray objective = null;
            for (int d = 0; d < directions; d++) {
                // Σ h ⊙ ∂L/∂h over the top outputs: its gradient w.r.t. the probes is δ
                NDArray part = trace.output(layers - 1, d).mul(outputGradients[d].stopGradient()).sum();
                objective = objective == null ? part : objective.add(part);
            }
            collector.backward(objective);
        }
        ForwardTrace trace = result.trace;
        result.deltas = new NDArray[layers][directions];
        result.previousHidden = new NDArray[layers][directions];
        for (int layer = 0; layer < layers; layer++) {
            for (int d = 0; d < directions; d++) {
                result.deltas[layer][d] = probes[layer][d].getGradient();
                NDArray output = trace.output(layer, d).stopGradient();
                result.previousHidden[layer][d] = work.zeros(new Shape(1, output.getShape().get(1), output.getShape().get(2)),
                        output.getDataType()).concat(output.get(new NDIndex(":-1")), 0);
            }
        }
        NDArray embeddingGradient = null;
        for (int d = 0; d < directions; d++) {
            NDArray gradient = inputGradient(trace, 0, d, result.deltas[0][d]);
            embeddingGradient = embeddingGradient == null ? gradient : embeddingGradient.addi(gradient);
        }
        result.embeddingGradient = embeddingGradient;
        return result;
    }

    /** ∂L/∂(layer input) in position order from one direction's δ: δ·W_ih, un-reversed. */
    private NDArray inputGradient(ForwardTrace trace, int layer, int direction, NDArray delta) {
        NDArray gradient = delta.matMul(model.parameters().get(model.lstmIndex(layer, direction)));
        if (direction == 1) {
            NDArray reordered = SequenceLayout.gatherRows(gradient, trace.reversedRows());
            gradient.close();
            gradient = reordered;
        }
        return gradient;
    }

    private void addLstmNorms(NDArray squaredNorms, Backward backward, ForwardTrace trace, ClippingUnits units) {
        ModelConfig config = model.config();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                // W_ih fed by the layer's input, W_hh by h_prev, both with δ; the bias with δ
                try (NDArray norms = GhostNorms.linearLayer(backward.deltas[layer][d], units,
                        trace.input(layer, d), backward.previousHidden[layer][d])) {
                    squaredNorms.addi(norms);
                }
            }
        }
    }

    /** Σ_{t,s} [x_t = x_s] (de_t · de_s): rows hit by the same token add up. */
    private static void addEmbeddingNorm(
            NDArray squaredNorms, NDArray embeddingGradient, NDArray tokens, ClippingUnits units) {
        NDArray gradientGram = GhostNorms.gram(embeddingGradient, units);
        NDArray grouped = units.regroup(tokens.transpose().expandDims(2).toType(embeddingGradient.getDataType(), false));
        NDArray sameToken = grouped.eq(grouped.transpose(0, 2, 1)).toType(embeddingGradient.getDataType(), false);
        squaredNorms.addi(gradientGram.muli(sameToken).sum(new int[] {1, 2}));
    }

    private NDList clippedSums(NDManager work, Backward backward, ForwardTrace trace, NDArray factors) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        NDArray[] sums = new NDArray[params.size()];
        long batch = factors.getShape().get(0);
        NDArray timeFactors = factors.reshape(1, batch, 1);
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                int index = model.lstmIndex(layer, d);
                NDArray scaled = backward.deltas[layer][d].muli(timeFactors);
                long gates = scaled.getShape().get(2);
                NDArray rows = scaled.reshape(-1, gates).transpose();
                NDArray input = trace.input(layer, d);
                sums[index] = rows.matMul(input.reshape(-1, input.getShape().get(2)));
                sums[index + 1] = rows.matMul(backward.previousHidden[layer][d].reshape(-1, config.hiddenSize()));
                sums[index + 2] = scaled.sum(new int[] {0, 1});
            }
        }
        sums[model.embeddingIndex()] = embeddingSum(work, backward.embeddingGradient.muli(timeFactors), trace.tokens());
        backward.head.addClippedSums(sums, trace, factors);
        return new NDList(sums);
    }

    /**
     * Index-add of the clipped rows c_i·de_t into the table rows of their tokens. DJL has no
     * index_add, so the engine's indexing backward (which accumulates repeated rows) does it
     * through a zero-valued leaf of the table's shape; no model parameter is in that graph.
     */
    private NDArray embeddingSum(NDManager work, NDArray scaledRows, NDArray tokens) {
        NDArray table = model.parameters().get(model.embeddingIndex());
        NDArray probe = work.zeros(table.getShape(), table.getDataType());
        probe.setRequiresGradient(true);
        long width = table.getShape().get(1);
        try (GradientCollector collector = GradientCollectors.exclusive(work)) {
            NDArray looked = probe.get(new NDIndex("{}", tokens.flatten()));
            collector.backward(looked.mul(scaledRows.reshape(-1, width)).sum());
        }
        return probe.getGradient();
    }
}
