package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.ForwardTrace;
import org.dplstm.training.model.LstmClassifier;
import org.dplstm.training.model.ModelConfig;
import org.dplstm.training.model.SequenceLayout;

/**
 * Exact per-example (or per-group) clipped gradient sums for {@link LstmClassifier} from one
 * batched forward and one batched backward (DESIGN §3): δ = ∂L/∂(gate pre-activations) per
 * layer and direction, then for every parameter each unit's squared gradient norm in "ghost"
 * form ‖Σ_t g_t a_tᵀ‖² = Σ_{t,s} (g_t·g_s)(a_t·a_s) (one Gram G = δδᵀ serves W_ih, W_hh and
 * the bias), the clip factors c = min(1, C/‖g‖), and the clipped sums as single matmuls over all
 * B·T rows, (c⊙δ)ᵀa, with no second backward.
 */
public final class FusedPerExampleGradients {

    private final LstmClassifier model;

    public FusedPerExampleGradients(LstmClassifier model) {
        this.model = model;
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
            ForwardTrace trace = model.forward(work, batch, params, true, dropoutScale, false);
            Backward backward = backward(work, trace, batch.labels());

            NDArray squaredNorms = work.zeros(new Shape(units.count()), config.dataType());
            addLstmNorms(squaredNorms, backward, trace, units);
            addEmbeddingNorm(squaredNorms, backward.embeddingGradient, trace.tokens(), units);
            addHeadNorms(squaredNorms, backward, trace, units);
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
        NDArray logitGradient; // (B, K)
        NDArray scaleGradient; // (B, F): ∂L/∂(LayerNorm output), per example; null without LN
        NDArray embeddingGradient; // (T, B, E) position order
        LstmCellBackward.Result[][] cells;
    }

    private Backward backward(NDManager work, ForwardTrace trace, NDArray labels) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        Backward result = new Backward();
        NDArray logits = trace.logits();
        NDArray oneHot = labels.toType(DataType.INT64, false)
                .oneHot(config.numClasses())
                .toType(logits.getDataType(), false);
        result.logitGradient = logits.softmax(1).subi(oneHot);
        NDArray headGradient = result.logitGradient.matMul(params.get(model.outputIndex()));
        if (trace.dropoutScale() != null) {
            headGradient.muli(trace.dropoutScale());
        }
        NDArray featureGradient = headGradient;
        if (config.layerNorm()) {
            result.scaleGradient = headGradient;
            NDArray normalizedGradient = headGradient.mul(params.get(model.layerNormIndex()));
            NDArray normalized = trace.normalized();
            NDArray meanGradient = normalizedGradient.mean(new int[] {1}, true);
            NDArray meanProjection = normalizedGradient.mul(normalized).mean(new int[] {1}, true);
            featureGradient = normalizedGradient.sub(meanGradient)
                    .subi(normalized.mul(meanProjection))
                    .muli(trace.inverseStd());
        }

        int layers = config.layers();
        int directions = config.directions();
        long hidden = config.hiddenSize();
        SequenceLayout layout = trace.layout();
        NDArray lastMask = layout.lastPositionMask(work, config.dataType());
        NDArray[] outputGradients = new NDArray[directions];
        for (int d = 0; d < directions; d++) {
            NDArray part = featureGradient.get(new NDIndex(":, {}:{}", d * hidden, (d + 1) * hidden));
            outputGradients[d] = lastMask.mul(part.expandDims(0));
        }
        result.cells = new LstmCellBackward.Result[layers][directions];
        for (int layer = layers - 1; layer >= 0; layer--) {
            NDArray inputGradient = null;
            for (int d = 0; d < directions; d++) {
                int index = model.lstmIndex(layer, d);
                LstmCellBackward.Result cell = LstmCellBackward.run(
                        work,
                        trace.input(layer, d),
                        trace.output(layer, d),
                        params.get(index),
                        params.get(index + 1),
                        params.get(index + 2),
                        outputGradients[d]);
                outputGradients[d].close();
                result.cells[layer][d] = cell;
                NDArray gradient = cell.delta().matMul(params.get(index));
                if (d == 1) {
                    NDArray reordered = SequenceLayout.gatherRows(gradient, trace.reversedRows());
                    gradient.close();
                    gradient = reordered;
                }
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

    /** Per unit Gram (U, m·T, m·T) of a time-major (T, B, d) array. */
    private static NDArray gram(NDArray timeMajor, ClippingUnits units) {
        NDArray grouped = units.regroup(timeMajor.transpose(1, 0, 2));
        return grouped.batchMatMul(grouped.transpose(0, 2, 1));
    }

    private void addLstmNorms(NDArray squaredNorms, Backward backward, ForwardTrace trace, ClippingUnits units) {
        ModelConfig config = model.config();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                LstmCellBackward.Result cell = backward.cells[layer][d];
                try (NDArray deltaGram = gram(cell.delta(), units);
                        NDArray inputGram = gram(trace.input(layer, d), units);
                        NDArray hiddenGram = gram(cell.previousHidden(), units)) {
                    // bias: Σ G; W_ih: Σ G⊙(x xᵀ); W_hh: Σ G⊙(h_prev h_prevᵀ)
                    inputGram.addi(hiddenGram).addi(1).muli(deltaGram);
                    squaredNorms.addi(inputGram.sum(new int[] {1, 2}));
                }
            }
        }
    }

    /** Σ_{t,s} [x_t = x_s] (de_t · de_s): rows hit by the same token add up. */
    private static void addEmbeddingNorm(
            NDArray squaredNorms, NDArray embeddingGradient, NDArray tokens, ClippingUnits units) {
        NDArray gradientGram = gram(embeddingGradient, units);
        NDArray grouped = units.regroup(tokens.transpose().expandDims(2).toType(embeddingGradient.getDataType(), false));
        NDArray sameToken = grouped.eq(grouped.transpose(0, 2, 1)).toType(embeddingGradient.getDataType(), false);
        squaredNorms.addi(gradientGram.muli(sameToken).sum(new int[] {1, 2}));
    }

    private void addHeadNorms(NDArray squaredNorms, Backward backward, ForwardTrace trace, ClippingUnits units) {
        // output layer: ghost form over the unit's examples, Σ (dl_i·dl_j)(z_i·z_j + 1)
        NDArray logitGrouped = units.regroup(backward.logitGradient.expandDims(1));
        NDArray inputGrouped = units.regroup(trace.headInput().expandDims(1));
        NDArray logitGram = logitGrouped.batchMatMul(logitGrouped.transpose(0, 2, 1));
        NDArray inputGram = inputGrouped.batchMatMul(inputGrouped.transpose(0, 2, 1)).addi(1);
        squaredNorms.addi(logitGram.muli(inputGram).sum(new int[] {1, 2}));
        if (backward.scaleGradient != null) {
            // LayerNorm: dγ_i = dy_i ⊙ x̂_i, dβ_i = dy_i, summed within the unit
            NDArray gammaPerUnit = units.regroup(backward.scaleGradient.mul(trace.normalized()).expandDims(1)).sum(new int[] {1});
            NDArray betaPerUnit = units.regroup(backward.scaleGradient.expandDims(1)).sum(new int[] {1});
            squaredNorms.addi(gammaPerUnit.square().sum(new int[] {1}));
            squaredNorms.addi(betaPerUnit.square().sum(new int[] {1}));
        }
    }

    private NDList clippedSums(NDManager work, Backward backward, ForwardTrace trace, NDArray factors) {
        ModelConfig config = model.config();
        NDList params = model.parameters();
        NDArray[] sums = new NDArray[params.size()];
        long batch = factors.getShape().get(0);
        NDArray timeFactors = factors.reshape(1, batch, 1);
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int d = 0; d < config.directions(); d++) {
                LstmCellBackward.Result cell = backward.cells[layer][d];
                int index = model.lstmIndex(layer, d);
                NDArray scaled = cell.delta().muli(timeFactors);
                long gates = scaled.getShape().get(2);
                NDArray rows = scaled.reshape(-1, gates).transpose();
                NDArray input = trace.input(layer, d);
                sums[index] = rows.matMul(input.reshape(-1, input.getShape().get(2)));
                sums[index + 1] = rows.matMul(cell.previousHidden().reshape(-1, config.hiddenSize()));
                sums[index + 2] = scaled.sum(new int[] {0, 1});
            }
        }
        sums[model.embeddingIndex()] = embeddingSum(work, backward.embeddingGradient.muli(timeFactors), trace.tokens());
        NDArray rowFactors = factors.reshape(batch, 1);
        if (backward.scaleGradient != null) {
            NDArray scaled = backward.scaleGradient.mul(rowFactors);
            sums[model.layerNormIndex()] = scaled.mul(trace.normalized()).sum(new int[] {0});
            sums[model.layerNormIndex() + 1] = scaled.sum(new int[] {0});
        }
        NDArray scaledLogits = backward.logitGradient.mul(rowFactors);
        sums[model.outputIndex()] = scaledLogits.transpose().matMul(trace.headInput());
        sums[model.outputIndex() + 1] = scaledLogits.sum(new int[] {0});
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
        try (GradientCollector collector = work.getEngine().newGradientCollector()) {
            NDArray looked = probe.get(new NDIndex("{}", tokens.flatten()));
            collector.backward(looked.mul(scaledRows.reshape(-1, width)).sum());
        }
        return probe.getGradient();
    }
}
