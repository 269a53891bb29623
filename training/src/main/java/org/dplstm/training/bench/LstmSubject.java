package org.dplstm.training.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.LstmStackModel;
import org.dplstm.training.pergrad.FusedPerExampleGradients;
import org.dplstm.training.pergrad.GateGradientMethod;
import org.dplstm.training.pergrad.PerExampleLoopGradients;

/** The project's own LSTM classifier or language model ({@code --cell lstm}). */
final class LstmSubject implements BenchSubject {

    private final LstmStackModel model;
    private final Batch batch;
    private final FusedPerExampleGradients fused;
    private final FusedPerExampleGradients other;
    private final PerExampleLoopGradients loop;

    LstmSubject(LstmStackModel model, Batch batch) {
        this.model = model;
        this.batch = batch;
        this.fused = FusedPerExampleGradients.of(model);
        GateGradientMethod otherMethod = fused.method() == GateGradientMethod.UNROLLED
                ? GateGradientMethod.ENGINE_IDENTITY
                : GateGradientMethod.UNROLLED;
        this.other = FusedPerExampleGradients.of(model, otherMethod);
        this.loop = new PerExampleLoopGradients(model);
    }

    @Override
    public NDList parameters() {
        return model.parameters();
    }

    @Override
    public List<String> parameterNames() {
        return model.parameterNames();
    }

    @Override
    public NDList plainGradient(NDManager step) {
        return model.gradientSum(step, batch);
    }

    @Override
    public NDList fusedClippedSum(NDManager step, double clip) {
        return fused.clippedGradientSum(step, batch, clip).sums();
    }

    @Override
    public NDList otherClippedSum(NDManager step, double clip) {
        return other.clippedGradientSum(step, batch, clip).sums();
    }

    @Override
    public NDList loopClippedSum(NDManager step, double clip) {
        return loop.clippedGradientSum(step, batch, clip).sums();
    }

    @Override
    public String method() {
        return fused.method().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String otherMethod() {
        return other.method().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public void close() {
        model.close();
    }
}
