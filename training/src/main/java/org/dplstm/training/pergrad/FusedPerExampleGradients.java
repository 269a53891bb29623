package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.mechanism.clip.Clipper;
import org.dplstm.training.mechanism.clip.ExampleBatch;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.mechanism.ghost.NormForm;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.ForwardTrace;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.GradientCollectors;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.LstmLanguageModel;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.SequenceLayout;
import org.dplstm.training.recurrent.CellKind;
import org.dplstm.training.recurrent.CellWeights;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.dplstm.training.recurrent.RecurrentCell;
import org.dplstm.training.recurrent.RecurrentRun;

/**
 * Exact per-example (or per-group) clipped gradient sums for a recurrent text model ({@link
 * LstmClassifier} or {@link LstmLanguageModel}, LSTM or GRU cells) from one batched forward and
 * one batched backward (ARCHITECTURE §3): δ = ∂L/∂(gate pre-activations) per layer and direction
 * (by {@link GateGradientMethod}; a GRU's recurrent side has its own δ^q, §3.8), then for every
 * parameter each unit's squared gradient norm in "ghost" form
 * ‖Σ_t g_t a_tᵀ‖² = Σ_{t,s} (g_t·g_s)(a_t·a_s) (an LSTM's one Gram G = δδᵀ serves W_ih, W_hh and
 * the bias; a GRU's input side and recurrent side have one each; the embedding adds rows hit by
 * the same token; the head — a classifier's last-state output layer or a language model's
 * per-position one — by its {@link FusedHead}) or, where that is cheaper, from each unit's
 * materialised gradient ({@link GhostNorms}, ARCHITECTURE §3.3), the clip factors c = min(1, C/‖g‖), and the
 * clipped sums as single matmuls over all B·T rows, (c⊙δ)ᵀa, with no second backward through the
 * model. Only the head differs between the two kinds of model, only the cell between the two
 * kinds of layer.
 */
public final class FusedPerExampleGradients implements Clipper {

    /**
     * The most parameters {@link #scaledClippedSum} takes: it holds each unit's materialised
     * gradients, U·P values (128 units of 2¹⁸ float32 parameters: 128 MiB). A character language
     * model has about 12,000; a larger model (a word vocabulary) keeps one autograd pass per unit.
     */
    public static final long MAX_SCALED_PARAMETERS = 1L << 18;

    private final LstmStackModel model;
    private final FusedHead head;
    private final GateGradientMethod method;
    private final RecurrentCell cell;
    /** Whether {@link #scaledClippedSum} serves the model (its shape does not change). */
    private final boolean supportsScale;

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
        this.cell = RecurrentCell.of(model.config().cell());
        this.supportsScale = scalable(model);
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

    /** The model's parameters, in its order. */
    @Override
    public ParameterSet parameters() {
        return ParameterSet.of(model.parameterNames(), model.parameters());
    }

    /** Clipped sum over a text batch ({@link TextBatches}); units in order of first appearance. */
    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm) {
        return clippedSum(scope, batch, maxGradNorm, FrozenPart.NONE);
    }

    /** As above with the {@code frozen} parameters left out of every unit's norm, their sums zero. */
    @Override
    public ClippedGradients clippedSum(NDManager scope, ExampleBatch batch, double maxGradNorm, FrozenPart frozen) {
        return clippedSum(scope, TextBatches.toBatch(batch), TextBatches.unitsOf(batch), maxGradNorm, null, frozen);
    }

    /** Clipped sum over the batch's units; units in order of first appearance. */
    public ClippedGradients clippedGradientSum(NDManager scope, Batch batch, double maxGradNorm) {
        return clippedGradientSum(scope, batch, maxGradNorm, null);
    }

    /** As above with a given dropout scale (B, F), or null for a fresh one. */
    public ClippedGradients clippedGradientSum(
            NDManager scope, Batch batch, double maxGradNorm, NDArray dropoutScale) {
        return clippedGradientSum(scope, batch, maxGradNorm, dropoutScale, FrozenPart.NONE);
    }

    /**
     * As above, with the {@code frozen} parameters left out of every unit's norm (their gradient
     * is not released, so C bounds the trained parameters' gradient alone) and zero sums for them.
     */
    public ClippedGradients clippedGradientSum(
            NDManager scope, Batch batch, double maxGradNorm, NDArray dropoutScale, FrozenPart frozen) {
        return clippedSum(scope, batch, TextBatches.unitsOf(batch), maxGradNorm, dropoutScale, frozen);
    }

    private ClippedGradients clippedSum(NDManager scope, Batch batch, ClippingUnits units, double maxGradNorm,
            NDArray dropoutScale, FrozenPart frozen) {
        Clipper.checkNorm(maxGradNorm);
        ModelConfig config = model.config();
        NDList params = model.parameters();
        if (batch.size() == 0) {
            return ClippedGradients.ofEmptyBatch(scope, params, config.dataType());
        }
        if (frozen == FrozenPart.ENCODER && model instanceof LstmClassifier classifier && classifier.encoderFrozen()) {
            return headOnlySum(scope, batch, maxGradNorm, dropoutScale, units);
        }
        try (NDManager work = scope.newSubManager()) {
            Backward backward = backward(work, batch, dropoutScale);
            ForwardTrace trace = backward.trace;

            NDArray squaredNorms = work.zeros(new Shape(units.count()), config.dataType());
            if (frozen != FrozenPart.ENCODER) {
                addRecurrentNorms(squaredNorms, backward, trace, units);
            }
            if (frozen == FrozenPart.NONE) {
                addEmbeddingNorm(squaredNorms, backward.embeddingGradient, trace.tokens(), units,
                        tableRows(params.get(model.embeddingIndex())));
            }
            backward.head.addSquaredNorms(squaredNorms, units, trace, backward.embeddingGradient);
            NDArray norms = squaredNorms.sqrt();
            // c_u = min(1, C/‖g_u‖); a zero gradient (C/0 = ∞) keeps factor 1
            NDArray unitFactors = norms.pow(-1).muli(maxGradNorm).minimum(1);
            NDArray factors = units.perExampleOf(unitFactors);

            NDList sums = clippedSums(work, backward, trace, factors);
            List<String> names = model.parameterNames();
            for (int i = 0; i < sums.size(); i++) {
                if (frozen.freezes(names.get(i))) {
                    sums.set(i, work.zeros(params.get(i).getShape(), params.get(i).getDataType()));
                }
            }
            sums.attach(scope);
            norms.attach(scope);
            return new ClippedGradients(sums, norms);
        }
    }

    /**
     * Whether {@link #scaledClippedSum} serves this model: a language model whose output layer is
     * not tied to its embedding (a tied table needs both uses' gradients summed before the scale),
     * of at most {@link #MAX_SCALED_PARAMETERS} parameters.
     */
    public boolean supportsScale() {
        return supportsScale;
    }

    private static boolean scalable(LstmStackModel model) {
        long parameters = 0;
        for (NDArray parameter : model.parameters()) {
            parameters += parameter.size();
        }
        return model instanceof LstmLanguageModel && !model.config().tiedEmbedding()
                && parameters <= MAX_SCALED_PARAMETERS;
    }

    /**
     * Public preconditioning's clipped sum, Σ_u min(1, C/‖a⊙g_u‖)·a⊙g_u, for a coordinate-wise
     * {@code scale} a (one array per parameter, in the model's order), from the same one backward
     * as {@link #clippedSum} (ARCHITECTURE §3.11): each unit's scaled norm from its materialised
     * weight gradients ({@link ScaledNorms}), and the sum a ⊙ (the fused clipped sum with those
     * factors), since Σ_u c_u·a⊙g_u = a⊙Σ_u c_u·g_u. Frozen parameters add nothing to the norm and
     * keep zero sums. Only where {@link #supportsScale}.
     */
    public ClippedGradients scaledClippedSum(NDManager scope, ExampleBatch examples, double maxGradNorm,
            FrozenPart frozen, NDList scale) {
        Clipper.checkNorm(maxGradNorm);
        if (!supportsScale()) {
            throw new IllegalArgumentException("scaled clipping needs a language model with an untied output layer and at"
                    + " most " + MAX_SCALED_PARAMETERS + " parameters");
        }
        Batch batch = TextBatches.toBatch(examples);
        ClippingUnits units = TextBatches.unitsOf(examples);
        ModelConfig config = model.config();
        NDList params = model.parameters();
        if (batch.size() == 0) {
            return ClippedGradients.ofEmptyBatch(scope, params, config.dataType());
        }
        List<String> names = model.parameterNames();
        try (NDManager work = scope.newSubManager()) {
            Backward backward = backward(work, batch, null);
            ForwardTrace trace = backward.trace;
            ScaledNorms scaled = new ScaledNorms(units, scale, params, names, frozen);
            NDArray squaredNorms = work.zeros(new Shape(units.count()), config.dataType());
            for (int layer = 0; layer < config.layers(); layer++) {
                for (int d = 0; d < config.directions(); d++) {
                    int index = model.recurrentIndex(layer, d);
                    RecurrentRun.Deltas deltas = backward.deltas[layer][d];
                    // W_ih with δ (a GRU's δ^a), W_hh with δ (δ^q), the bias (biases) likewise (§3.5, §3.8)
                    scaled.addWeight(squaredNorms, index, deltas.input(), trace.input(layer, d));
                    scaled.addWeight(squaredNorms, index + 1, deltas.hidden(), backward.previousHidden[layer][d]);
                    scaled.addBias(squaredNorms, index + 2, deltas.input());
                    if (config.cell() == CellKind.GRU) {
                        scaled.addBias(squaredNorms, index + 3, deltas.hidden());
                    }
                }
            }
            scaled.addEmbedding(squaredNorms, model.embeddingIndex(), backward.embeddingGradient, trace.tokens());
            backward.head.addScaledSquaredNorms(squaredNorms, scaled);
            scaled.checkCovers();
            NDArray norms = squaredNorms.sqrt();
            // c_u = min(1, C/‖a⊙g_u‖); a zero gradient (C/0 = ∞) keeps factor 1
            NDArray factors = units.perExampleOf(norms.pow(-1).muli(maxGradNorm).minimum(1));
            NDList sums = clippedSums(work, backward, trace, factors);
            for (int i = 0; i < sums.size(); i++) {
                sums.set(i, frozen.freezes(names.get(i))
                        ? work.zeros(params.get(i).getShape(), params.get(i).getDataType())
                        : sums.get(i).muli(scale.get(i)));
            }
            sums.attach(scope);
            norms.attach(scope);
            return new ClippedGradients(sums, norms);
        }
    }

    /**
     * A frozen encoder's step: the head's per-unit norms and clipped sums in closed form over the
     * cached features ({@link LstmClassifier#setFrozen}); the encoder's sums are zero.
     */
    private ClippedGradients headOnlySum(NDManager scope, Batch batch, double maxGradNorm, NDArray dropoutScale,
            ClippingUnits units) {
        NDList params = model.parameters();
        try (NDManager work = scope.newSubManager()) {
            ForwardTrace trace = model.forward(work, batch, params, true, dropoutScale, null);
            FusedHead.Gradients gradients = head.backward(work, trace, batch);
            NDArray squaredNorms = work.zeros(new Shape(units.count()), model.config().dataType());
            gradients.addSquaredNorms(squaredNorms, units, trace, null);
            NDArray norms = squaredNorms.sqrt();
            NDArray factors = units.perExampleOf(norms.pow(-1).muli(maxGradNorm).minimum(1));
            NDArray[] sums = new NDArray[params.size()];
            gradients.addClippedSums(sums, trace, factors);
            NDList result = new NDList();
            for (int i = 0; i < sums.length; i++) {
                result.add(sums[i] != null ? sums[i] : work.zeros(params.get(i).getShape(), params.get(i).getDataType()));
            }
            result.attach(scope);
            norms.attach(scope);
            return new ClippedGradients(result, norms);
        }
    }

    /** Everything the norms and sums need from the backward pass. */
    private static final class Backward {
        ForwardTrace trace;
        FusedHead.Gradients head;
        NDArray embeddingGradient; // (T, B, E) position order
        RecurrentRun.Deltas[][] deltas; // δ (T, B, G·H) per layer and direction, of both sides
        NDArray[][] previousHidden; // h_prev (T, B, H)
    }

    /** The batch's one backward by this clipper's gate-gradient method. */
    private Backward backward(NDManager work, Batch batch, NDArray dropoutScale) {
        return method == GateGradientMethod.ENGINE_IDENTITY
                ? engineIdentityBackward(work, batch, dropoutScale)
                : unrolledBackward(work, batch, dropoutScale);
    }

    /** δ by the unrolled cell: engine ops, a bare backward recurrence, no autograd (fastest on a CPU). */
    private Backward unrolledBackward(NDManager work, Batch batch, NDArray dropoutScale) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        RecurrentRun[][] runs = new RecurrentRun[config.layers()][config.directions()];
        ForwardTrace trace = model.forward(work, batch, params, true, dropoutScale,
                (layer, direction, input, weights) -> {
                    RecurrentRun run = cell.unrolled(work, input, weights);
                    runs[layer][direction] = run;
                    return run.outputs();
                });
        Backward result = new Backward();
        result.trace = trace;
        result.head = head.backward(work, trace, batch);
        int layers = config.layers();
        int directions = config.directions();
        long hidden = config.hiddenSize();
        NDArray[] outputGradients = result.head.topOutputGradients().clone();
        result.deltas = new RecurrentRun.Deltas[layers][directions];
        result.previousHidden = new NDArray[layers][directions];
        for (int layer = layers - 1; layer >= 0; layer--) {
            NDArray inputGradient = null;
            for (int d = 0; d < directions; d++) {
                RecurrentRun.Deltas deltas = runs[layer][d].backward(outputGradients[d]);
                outputGradients[d].close();
                result.deltas[layer][d] = deltas;
                result.previousHidden[layer][d] = runs[layer][d].previousHidden();
                NDArray gradient = inputGradient(trace, layer, d, deltas.input());
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
     * δ by ARCHITECTURE §3 steps 1-3: u = x·W_ihᵀ + b outside the cell, the engine's fused cell
     * (cuDNN on a GPU) on u with identity input weights (and a GRU's recurrent bias), a zero-valued
     * leaf probe added to each u, every parameter a constant, and one backward: δ is the probe's
     * gradient (a GRU's recurrent-side δ^q follows from it, §3.8). Its extra (G·H × G·H) matmul per
     * token is negligible on a GPU and dominant on a CPU.
     */
    private Backward engineIdentityBackward(NDManager work, Batch batch, NDArray dropoutScale) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        int layers = config.layers();
        int directions = config.directions();
        NDArray[][] probes = new NDArray[layers][directions];
        NDArray[][] projections = new NDArray[layers][directions];
        CellWeights[][] weightsOf = new CellWeights[layers][directions];
        int width = config.cell().gates() * config.hiddenSize();
        NDArray identity = work.eye(width, width, 0, config.dataType());
        Backward result;
        try (GradientCollector collector = GradientCollectors.exclusive(work)) {
            ForwardTrace trace = model.forward(work, batch, params, true, dropoutScale,
                    (layer, direction, input, weights) -> {
                        NDArray projected = input.matMul(weights.inputWeight().transpose());
                        NDArray bias = cell.projectionBias(weights.inputBias(), weights.recurrentBias());
                        if (bias != null) {
                            projected = projected.add(bias);
                        }
                        NDArray probe = work.zeros(projected.getShape(), projected.getDataType());
                        probe.setRequiresGradient(true);
                        probes[layer][direction] = probe;
                        projections[layer][direction] = projected;
                        weightsOf[layer][direction] = weights;
                        return cell.engine(projected.add(probe), identity, weights.recurrentWeight(),
                                weights.recurrentBias());
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
        result.deltas = new RecurrentRun.Deltas[layers][directions];
        result.previousHidden = new NDArray[layers][directions];
        for (int layer = 0; layer < layers; layer++) {
            for (int d = 0; d < directions; d++) {
                NDArray inputDelta = probes[layer][d].getGradient();
                NDArray output = trace.output(layer, d).stopGradient();
                NDArray previousHidden = work.zeros(new Shape(1, output.getShape().get(1), output.getShape().get(2)),
                        output.getDataType()).concat(output.get(new NDIndex(":-1")), 0);
                CellWeights weights = weightsOf[layer][d];
                result.deltas[layer][d] = new RecurrentRun.Deltas(inputDelta, cell.hiddenDelta(inputDelta,
                        projections[layer][d].stopGradient(), previousHidden, weights.recurrentWeight(),
                        weights.recurrentBias()));
                result.previousHidden[layer][d] = previousHidden;
            }
        }
        NDArray embeddingGradient = null;
        for (int d = 0; d < directions; d++) {
            NDArray gradient = inputGradient(trace, 0, d, result.deltas[0][d].input());
            embeddingGradient = embeddingGradient == null ? gradient : embeddingGradient.addi(gradient);
        }
        result.embeddingGradient = embeddingGradient;
        return result;
    }

    /** ∂L/∂(layer input) in position order from one direction's input-side δ: δ·W_ih, un-reversed. */
    private NDArray inputGradient(ForwardTrace trace, int layer, int direction, NDArray delta) {
        NDArray gradient = delta.matMul(model.parameters().get(model.recurrentIndex(layer, direction)));
        if (direction == 1) {
            NDArray reordered = SequenceLayout.gatherRows(gradient, trace.reversedRows());
            gradient.close();
            gradient = reordered;
        }
        return gradient;
    }

    private void addRecurrentNorms(NDArray squaredNorms, Backward backward, ForwardTrace trace,
            ClippingUnits units) {
        ModelConfig config = model.config();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                RecurrentRun.Deltas deltas = backward.deltas[layer][d];
                if (config.cell() == CellKind.LSTM) {
                    // W_ih fed by the layer's input, W_hh by h_prev, both with δ; the one bias with δ
                    try (NDArray norms = GhostNorms.linearLayer(deltas.input(), units,
                            trace.input(layer, d), backward.previousHidden[layer][d])) {
                        squaredNorms.addi(norms);
                    }
                } else {
                    // a GRU: W_ih and b_ih with δ^a, W_hh and b_hh with δ^q (§3.8)
                    try (NDArray inputSide = GhostNorms.linearLayer(deltas.input(), units, trace.input(layer, d));
                            NDArray recurrentSide = GhostNorms.linearLayer(deltas.hidden(), units,
                                    backward.previousHidden[layer][d])) {
                        squaredNorms.addi(inputSide).addi(recurrentSide);
                    }
                }
            }
        }
    }

    /**
     * Σ_{t,s} [x_t = x_s] (de_t · de_s): rows hit by the same token add up (ghost form); or, when a
     * small table makes it cheaper, each unit's (V, E) table gradient materialised, squared and
     * summed (ARCHITECTURE §3.3).
     */
    static void addEmbeddingNorm(NDArray squaredNorms, NDArray embeddingGradient, NDArray tokens, ClippingUnits units,
            int vocab) {
        long positions = units.regroupedLength(tokens.getShape().get(0));
        long width = embeddingGradient.getShape().get(2);
        if (NormForm.materialiseTable(positions, vocab, width)) {
            try (NDArray gradients = GhostNorms.tableGradients(embeddingGradient, tokens, units, vocab);
                    NDArray squares = gradients.square()) {
                squaredNorms.addi(squares.sum(new int[] {1, 2}));
            }
            return;
        }
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
                int index = model.recurrentIndex(layer, d);
                RecurrentRun.Deltas deltas = backward.deltas[layer][d];
                NDArray scaled = deltas.input().muli(timeFactors);
                // an LSTM's two sides are one δ; a GRU's recurrent side has its own
                NDArray scaledHidden = deltas.hidden() == deltas.input() ? scaled : deltas.hidden().muli(timeFactors);
                NDArray inputRows = rowsOf(scaled);
                NDArray hiddenRows = scaledHidden == scaled ? inputRows : rowsOf(scaledHidden);
                NDArray input = trace.input(layer, d);
                sums[index] = inputRows.matMul(input.reshape(-1, input.getShape().get(2)));
                sums[index + 1] = hiddenRows.matMul(backward.previousHidden[layer][d].reshape(-1, config.hiddenSize()));
                sums[index + 2] = scaled.sum(new int[] {0, 1});
                if (config.cell() == CellKind.GRU) {
                    sums[index + 3] = scaledHidden.sum(new int[] {0, 1});
                }
            }
        }
        sums[model.embeddingIndex()] = embeddingSum(work, params.get(model.embeddingIndex()),
                backward.embeddingGradient.muli(timeFactors), trace.tokens());
        backward.head.addClippedSums(sums, trace, factors);
        return new NDList(sums);
    }

    /** The rows of an embedding table: its vocabulary's size. */
    static int tableRows(NDArray table) {
        return Math.toIntExact(table.getShape().get(0));
    }

    /** A time-major (T, B, n) array as n rows of T·B columns, for one matmul over all positions. */
    private static NDArray rowsOf(NDArray timeMajor) {
        return timeMajor.reshape(-1, timeMajor.getShape().get(2)).transpose();
    }

    /**
     * Index-add of the clipped rows c_i·de_t into the table rows of their tokens. DJL has no
     * index_add, so the engine's indexing backward (which accumulates repeated rows) does it
     * through a zero-valued leaf of the table's shape; no model parameter is in that graph.
     */
    static NDArray embeddingSum(NDManager work, NDArray table, NDArray scaledRows, NDArray tokens) {
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
