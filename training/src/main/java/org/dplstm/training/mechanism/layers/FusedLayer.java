package org.dplstm.training.mechanism.layers;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import java.util.List;
import org.dplstm.training.mechanism.ghost.FusedPass;

/**
 * The fused per-example method of one kind of DJL leaf block (an Opacus-style "grad sampler"):
 * its forward as the block computes it, with the parameters' uses recorded in the pass.
 *
 * @param <B> the block class it handles (exactly that class: a subclass may compute otherwise)
 */
public interface FusedLayer<B extends Block> {

    /** Why this block cannot be walked exactly (settings this method does not cover); empty if it can. */
    default List<String> problems(B block) {
        return List.of();
    }

    /** The block's forward on {@code inputs}, in the pass's mode, recording its parameters' uses. */
    NDList forward(FusedPass pass, B block, NDList inputs);
}
