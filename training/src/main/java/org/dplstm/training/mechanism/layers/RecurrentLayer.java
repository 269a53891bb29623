package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RecurrentBlock;
import java.util.List;
import java.util.function.Supplier;
import org.dplstm.training.mechanism.ghost.FusedPass;
import org.dplstm.training.mechanism.ghost.ManualStage;
import org.dplstm.training.mechanism.ghost.PositionRows;
import org.dplstm.training.mechanism.ghost.Probe;
import org.dplstm.training.mechanism.ghost.UseGradient;
import org.dplstm.training.mechanism.layers.RecurrentSettings.RecurrentWeights;
import org.dplstm.training.recurrent.CellWeights;
import org.dplstm.training.recurrent.GateGradientMethod;
import org.dplstm.training.recurrent.RecurrentCell;
import org.dplstm.training.recurrent.RecurrentRun;

/**
 * DJL's {@link LSTM} and {@link GRU} blocks, stacked and (without biases) bidirectional, as the
 * engine runs them: every layer and direction from zero state, the reverse direction over the
 * whole padded sequence reversed. Per layer and direction, δ = ∂L/∂(gate pre-activations) on the
 * input side (δ^a) and the recurrent side (δ^q, equal to δ^a for an LSTM; for a GRU its n slot is
 * times r) give W_ih's gradient Σ_t δ^a_t ⊗ x_t, W_hh's Σ_t δ^q_t ⊗ h_{t−1} and the biases' Σ_t δ
 * (ARCHITECTURE §3, §3.8). δ comes by hand on a CPU ({@link GateGradientMethod#UNROLLED}: the block
 * is one {@link ManualStage}) or from the engine's fused cell with identity input weights and a
 * probe on u = x W_ihᵀ + b ({@link GateGradientMethod#ENGINE_IDENTITY}).
 *
 * @param <B> LSTM or GRU
 */
public final class RecurrentLayer<B extends RecurrentBlock> implements FusedLayer<B> {

    private final RecurrentCell cell;
    private final GateGradientMethod method;

    private RecurrentLayer(RecurrentCell cell, GateGradientMethod method) {
        this.cell = cell;
        this.method = method;
    }

    public static RecurrentLayer<LSTM> lstm(GateGradientMethod method) {
        return new RecurrentLayer<>(RecurrentCell.LSTM, method);
    }

    public static RecurrentLayer<GRU> gru(GateGradientMethod method) {
        return new RecurrentLayer<>(RecurrentCell.GRU, method);
    }

    @Override
    public List<String> problems(B block) {
        return RecurrentSettings.of(block).problems();
    }

    @Override
    public NDList forward(FusedPass pass, B block, NDList inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("a fused " + block.getClass().getSimpleName()
                    + " takes one input (initial states are not supported), had " + inputs.size());
        }
        RecurrentSettings settings = RecurrentSettings.of(block);
        Directions directions = new Directions(pass, block, settings);
        if (method == GateGradientMethod.UNROLLED) {
            return new NDList(pass.manual(inputs.head(), new Unrolled(pass, settings, directions)));
        }
        return new NDList(engineIdentity(pass, settings, directions, inputs.head()));
    }

    /** Every layer's and direction's weights and, once known, the rows its uses are made of. */
    private final class Directions {
        final RecurrentWeights[][] weights;
        final Trace[][] traces;

        Directions(FusedPass pass, B block, RecurrentSettings settings) {
            weights = new RecurrentWeights[settings.layers()][settings.directions()];
            traces = new Trace[settings.layers()][settings.directions()];
            for (int layer = 0; layer < settings.layers(); layer++) {
                for (int d = 0; d < settings.directions(); d++) {
                    RecurrentWeights w = settings.weights(block, layer, d);
                    weights[layer][d] = w;
                    Trace trace = new Trace();
                    traces[layer][d] = trace;
                    pass.use(w.inputWeight(), () -> UseGradient.weight(trace.inputDelta(), trace.input));
                    pass.use(w.recurrentWeight(), () -> UseGradient.weight(trace.hiddenDelta(), trace.previousHidden));
                    pass.use(w.inputBias(), () -> UseGradient.bias(trace.inputDelta()));
                    pass.use(w.recurrentBias(), () -> UseGradient.bias(trace.hiddenDelta()));
                }
            }
        }

        /** One layer's and direction's current values (biases null without biases). */
        CellWeights values(FusedPass pass, int layer, int d) {
            RecurrentWeights w = weights[layer][d];
            return new CellWeights(pass.value(w.inputWeight()), pass.value(w.recurrentWeight()),
                    w.inputBias() == null ? null : pass.value(w.inputBias()),
                    w.recurrentBias() == null ? null : pass.value(w.recurrentBias()));
        }
    }

    /** One layer and direction: its input and h_prev (time-major, run order) and its deltas once computed. */
    private static final class Trace {
        PositionRows input;
        PositionRows previousHidden;
        Supplier<RecurrentRun.Deltas> deltas;
        private PositionRows inputRows;
        private PositionRows hiddenRows;

        PositionRows inputDelta() {
            resolve();
            return inputRows;
        }

        PositionRows hiddenDelta() {
            resolve();
            return hiddenRows;
        }

        private void resolve() {
            if (inputRows == null) {
                RecurrentRun.Deltas d = deltas.get();
                inputRows = PositionRows.timeMajor(d.input());
                // one Gram serves both sides when they are the same array (an LSTM)
                hiddenRows = d.hidden() == d.input() ? inputRows : PositionRows.timeMajor(d.hidden());
            }
        }
    }

    /** The CPU method: the block as one stage, forward by hand, then the bare backward recurrences. */
    private final class Unrolled implements ManualStage {
        private final FusedPass pass;
        private final RecurrentSettings settings;
        private final Directions directions;
        private final RecurrentRun[][] runs;

        Unrolled(FusedPass pass, RecurrentSettings settings, Directions directions) {
            this.pass = pass;
            this.settings = settings;
            this.directions = directions;
            this.runs = new RecurrentRun[settings.layers()][settings.directions()];
        }

        @Override
        public NDArray forward(NDArray input) {
            return eachDirection(pass, settings, directions, input, (layer, d, runInput, w) -> {
                RecurrentRun run = cell.unrolled(pass.work(), runInput, w);
                runs[layer][d] = run;
                Trace trace = directions.traces[layer][d];
                trace.input = PositionRows.timeMajor(runInput);
                trace.previousHidden = PositionRows.timeMajor(run.previousHidden());
                return run.outputs();
            });
        }

        @Override
        public NDArray backward(NDArray outputGradient, boolean inputGradientNeeded) {
            NDArray gradient = settings.batchFirst() ? outputGradient.transpose(1, 0, 2) : outputGradient;
            NDArray[] byDirection = split(gradient);
            NDArray inputGradient = null;
            for (int layer = settings.layers() - 1; layer >= 0; layer--) {
                inputGradient = null;
                for (int d = 0; d < settings.directions(); d++) {
                    RecurrentRun.Deltas deltas = runs[layer][d].backward(byDirection[d]);
                    directions.traces[layer][d].deltas = () -> deltas;
                    if (layer > 0 || inputGradientNeeded) {
                        NDArray part = deltas.input().matMul(directions.values(pass, layer, d).inputWeight());
                        part = d == 0 ? part : part.flip(0);
                        inputGradient = inputGradient == null ? part : inputGradient.addi(part);
                    }
                }
                if (layer > 0) {
                    byDirection = split(inputGradient);
                }
            }
            if (!inputGradientNeeded) {
                return null;
            }
            return settings.batchFirst() ? inputGradient.transpose(1, 0, 2) : inputGradient;
        }

        /** A position-ordered (T, B, D·H) gradient as each direction's, in its run order. */
        private NDArray[] split(NDArray gradient) {
            int count = settings.directions();
            NDArray[] parts = new NDArray[count];
            if (count == 1) {
                parts[0] = gradient;
                return parts;
            }
            long hidden = gradient.getShape().get(2) / count;
            for (int d = 0; d < count; d++) {
                NDArray part = gradient.get(new NDIndex(":, :, {}:{}", d * hidden, (d + 1) * hidden));
                parts[d] = d == 0 ? part : part.flip(0);
            }
            return parts;
        }
    }

    /** The GPU method: the engine's fused cell on u with identity input weights, autograd throughout. */
    private NDArray engineIdentity(FusedPass pass, RecurrentSettings settings, Directions directions, NDArray input) {
        NDManager work = pass.work();
        return eachDirection(pass, settings, directions, input, (layer, d, runInput, w) -> {
            NDArray recurrentWeight = w.recurrentWeight();
            NDArray recurrentBias = w.recurrentBias();
            NDArray projected = runInput.matMul(w.inputWeight().transpose());
            NDArray bias = cell.projectionBias(w.inputBias(), recurrentBias);
            if (bias != null) {
                projected = projected.add(bias);
            }
            Probe probe = pass.probe(projected);
            long width = projected.getShape().get(2);
            NDArray identity = work.eye((int) width, (int) width, 0, projected.getDataType());
            NDArray output = cell.engine(probe.output(), identity, recurrentWeight, recurrentBias);

            NDArray constantOutput = output.stopGradient();
            NDArray constantProjection = projected.stopGradient();
            NDArray constantInput = runInput.stopGradient();
            for (NDArray constant : new NDArray[] {constantOutput, constantProjection, constantInput}) {
                constant.attach(work);
            }
            Shape step = new Shape(1, output.getShape().get(1), output.getShape().get(2));
            NDArray previousHidden = work.zeros(step, output.getDataType())
                    .concat(constantOutput.get(new NDIndex(":-1")), 0);
            Trace trace = directions.traces[layer][d];
            trace.input = PositionRows.timeMajor(constantInput);
            trace.previousHidden = PositionRows.timeMajor(previousHidden);
            trace.deltas = () -> {
                NDArray inputDelta = probe.gradient();
                return new RecurrentRun.Deltas(inputDelta, cell.hiddenDelta(
                        inputDelta, constantProjection, previousHidden, recurrentWeight, recurrentBias));
            };
            return output;
        });
    }

    /** Runs one layer and direction: its hidden states (T, B, H) in run order. */
    @FunctionalInterface
    private interface DirectionRunner {
        NDArray run(int layer, int direction, NDArray runInput, CellWeights weights);
    }

    /**
     * Every layer and direction in order, each direction on its input in run order (reversed for
     * the reverse direction), a layer's input the previous layer's directions side by side; the
     * top layer's output in the block's layout.
     */
    private NDArray eachDirection(FusedPass pass, RecurrentSettings settings, Directions directions,
            NDArray input, DirectionRunner runner) {
        NDArray x = settings.batchFirst() ? input.transpose(1, 0, 2) : input;
        for (int layer = 0; layer < settings.layers(); layer++) {
            NDList positionOrdered = new NDList();
            for (int d = 0; d < settings.directions(); d++) {
                NDArray output = runner.run(layer, d, d == 0 ? x : x.flip(0), directions.values(pass, layer, d));
                positionOrdered.add(d == 0 ? output : output.flip(0));
            }
            x = positionOrdered.size() == 1 ? positionOrdered.get(0) : NDArrays.concat(positionOrdered, 2);
        }
        return settings.batchFirst() ? x.transpose(1, 0, 2) : x;
    }
}
