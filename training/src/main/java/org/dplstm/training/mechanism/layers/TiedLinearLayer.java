package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDList;
import org.dplstm.training.mechanism.ghost.FusedPass;
import org.dplstm.training.mechanism.ghost.Probe;

/** {@link TiedLinear}: a linear map's uses, its weight recorded as another use of the shared parameter. */
public final class TiedLinearLayer implements FusedLayer<TiedLinear> {

    @Override
    public NDList forward(FusedPass pass, TiedLinear block, NDList inputs) {
        Probe output = pass.probe(block.forward(pass.store(), inputs, pass.training()).singletonOrThrow());
        LinearLayer.recordUses(pass, block.sharedWeight(), block.bias(), inputs.singletonOrThrow(), output);
        return new NDList(output.output());
    }
}
