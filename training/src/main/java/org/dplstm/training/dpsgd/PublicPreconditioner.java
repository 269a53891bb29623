package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;
import java.util.SplittableRandom;
import org.dplstm.training.mechanism.clip.ParameterSet;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.model.FrozenPart;

/**
 * A per-coordinate scale of the gradients from PUBLIC text (AdaDPS, Li et al. 2022; ARCHITECTURE
 * §2, "Public preconditioning"): at the current weights, the root mean square r of each coordinate
 * over the gradients of {@value #EXAMPLES} public examples, and the scale a = 1 / (r + mean r),
 * normalised to a root mean square of 1 over the trained coordinates (so a clip norm means what it
 * meant without it). A coordinate the public gradients never move gets twice the scale of one they
 * move by the mean. Recomputed as the weights move: at the start of every epoch and every {@value
 * #REFRESH_STEPS} steps into it. It reads public data and the current weights only (themselves
 * released by DP-SGD), so it costs no privacy; the public examples are drawn by a generator seeded by
 * the step (public randomness). Checkpoints are written at epoch ends, so a resume computes the
 * scale the uninterrupted run computed at that epoch's start. Not thread-safe; close it to free the scale.
 */
public final class PublicPreconditioner implements AutoCloseable {

    /** Public examples per computation of the scale. */
    static final int EXAMPLES = 256;
    /** Steps between computations. */
    static final int REFRESH_STEPS = 25;

    private final DifferentiableModel model;
    private final EncodedDataset publicText;
    private final FrozenPart frozen;
    private Scale current;

    /** One computation's arrays and the manager they live in until the next replaces them. */
    private record Scale(NDList arrays, NDManager manager) {}

    /**
     * @param model the model whose plain gradient each public example gets, one at a time
     * @param publicText the public examples, encoded as the training data is
     * @param frozen parameters DP-SGD leaves as they are: their scale is 1 and takes no part in the normalisation
     */
    public PublicPreconditioner(DifferentiableModel model, EncodedDataset publicText, FrozenPart frozen) {
        this.model = Objects.requireNonNull(model, "model");
        this.publicText = Objects.requireNonNull(publicText, "publicText");
        this.frozen = Objects.requireNonNull(frozen, "frozen");
        if (publicText.size() == 0) {
            throw new IllegalArgumentException("public text for preconditioning must hold at least one example, had 0");
        }
    }

    /**
     * Computes the scale before step {@code step} (0-based, over the run) when it is due: at the
     * first step this object takes, and every {@value #REFRESH_STEPS} steps from an epoch's start.
     *
     * @param stepsIntoEpoch the steps of the step's epoch taken before it
     */
    public void refreshIfDue(NDManager scope, long step, long stepsIntoEpoch) {
        if (current == null || stepsIntoEpoch % REFRESH_STEPS == 0) {
            Scale next = compute(scope, step);
            close();
            current = next;
        }
    }

    /** The scale of every parameter, in the clipper's order; null before the first {@link #refreshIfDue}. */
    public NDList scale() {
        return current == null ? null : current.arrays();
    }

    private Scale compute(NDManager scope, long step) {
        ParameterSet parameters = ParameterSet.of(model.parameterNames(), model.parameters());
        try (NDManager work = scope.newSubManager()) {
            NDArray[] squares = new NDArray[parameters.names().size()];
            SplittableRandom random = new SplittableRandom(step);
            for (int j = 0; j < EXAMPLES; j++) {
                int example = random.nextInt(publicText.size());
                try (NDManager one = work.newSubManager()) {
                    MicroBatchedSums.lendParameters(model, one);
                    // whole gradients (frozen parameters' too: their scale is 1 whatever they are)
                    NDList gradient = model.gradientSum(one, BatchEncoder.encode(one, publicText, new int[] {example}, null));
                    for (int i = 0; i < squares.length; i++) {
                        NDArray square = gradient.get(i).toType(DataType.FLOAT64, false).square();
                        if (squares[i] == null) {
                            square.attach(work);
                            squares[i] = square;
                        } else {
                            squares[i].addi(square);
                        }
                    }
                }
            }
            double rmsSum = 0;
            long trainedCoordinates = 0;
            NDArray[] rms = new NDArray[squares.length];
            for (int i = 0; i < squares.length; i++) {
                rms[i] = squares[i].div(EXAMPLES).sqrt();
                if (!frozen.freezes(parameters.names().get(i))) {
                    rmsSum += rms[i].sum().getDouble();
                    trainedCoordinates += rms[i].size();
                }
            }
            double meanRms = trainedCoordinates == 0 ? 0 : rmsSum / trainedCoordinates;
            if (!(meanRms > 0)) {
                // no public gradient moves any trained coordinate (e.g. text of padding only): no preference
                return ones(parameters);
            }
            NDArray[] raw = new NDArray[rms.length];
            double squareSum = 0;
            for (int i = 0; i < rms.length; i++) {
                if (frozen.freezes(parameters.names().get(i))) {
                    continue;
                }
                raw[i] = rms[i].add(meanRms).pow(-1);
                squareSum += raw[i].square().sum().getDouble();
            }
            double norm = Math.sqrt(squareSum / trainedCoordinates);
            NDManager kept = NDManager.newBaseManager(parameters.arrays().head().getDevice());
            try {
                NDList result = new NDList(raw.length);
                for (int i = 0; i < raw.length; i++) {
                    NDArray parameter = parameters.arrays().get(i);
                    NDArray value = raw[i] == null ? kept.ones(parameter.getShape(), parameter.getDataType())
                            : raw[i].div(norm).toType(parameter.getDataType(), false);
                    value.attach(kept);
                    result.add(value);
                }
                return new Scale(result, kept);
            } catch (RuntimeException e) {
                kept.close();
                throw e;
            }
        }
    }

    private static Scale ones(ParameterSet parameters) {
        NDManager kept = NDManager.newBaseManager(parameters.arrays().head().getDevice());
        NDList result = new NDList(parameters.names().size());
        for (NDArray parameter : parameters.arrays()) {
            result.add(kept.ones(parameter.getShape(), parameter.getDataType()));
        }
        return new Scale(result, kept);
    }

    @Override
    public void close() {
        if (current != null) {
            current.manager().close();
            current = null;
        }
    }
}
