package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.mechanism.clip.ClippedGradients;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.pergrad.TextBatches;

/** Delegates to a model and records what the loop asked of it (batch sizes, groups, which call). */
final class RecordingModel implements DifferentiableModel {

    record Call(String method, int size, long[] groups) {}

    private final DifferentiableModel delegate;
    final List<Call> calls = new ArrayList<>();

    RecordingModel(DifferentiableModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public NDList parameters() {
        return delegate.parameters();
    }

    @Override
    public List<String> parameterNames() {
        return delegate.parameterNames();
    }

    /** The delegate's clipped sum, recorded (registered in {@link TestClippers}). */
    ClippedGradients clippedGradientSum(NDManager scope, Batch batch, double maxGradNorm) {
        calls.add(new Call("clipped", (int) batch.size(), batch.groups() == null ? null : batch.groups().toLongArray()));
        return TestClippers.CLIPPERS.clipperFor(delegate).clippedSum(scope, TextBatches.toExampleBatch(batch), maxGradNorm);
    }

    @Override
    public NDList gradientSum(NDManager scope, Batch batch) {
        calls.add(new Call("plain", (int) batch.size(), null));
        return delegate.gradientSum(scope, batch);
    }

    @Override
    public NDArray logits(NDManager scope, Batch batch) {
        return delegate.logits(scope, batch);
    }

    @Override
    public NDArray lossSum(NDManager scope, Batch batch) {
        return delegate.lossSum(scope, batch);
    }
}
