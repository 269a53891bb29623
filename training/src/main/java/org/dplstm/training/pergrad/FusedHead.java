package org.dplstm.training.pergrad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.dplstm.training.mechanism.ghost.ClippingUnits;
import org.dplstm.training.model.Batch;
import org.dplstm.training.model.ForwardTrace;

/**
 * The layers above the LSTM stack, as the fused per-example method sees them (ARCHITECTURE §3.4): the
 * only part that differs between a classifier and a language model. The stack's backward, its
 * ghost norms and its clipped sums are shared ({@link FusedPerExampleGradients}).
 */
interface FusedHead {

    /** Backward in closed form from the batch's summed loss to the top LSTM outputs. */
    Gradients backward(NDManager work, ForwardTrace trace, Batch batch);

    /** One batch's head gradients, kept for the norms and the clipped sums. */
    interface Gradients {

        /** ∂L/∂h (T, B, H) of the top layer per direction, in that direction's time order. */
        NDArray[] topOutputGradients();

        /**
         * Adds each clipping unit's squared norm of the head's parameter gradients, and for an
         * output layer tied to the embedding the cross term 2⟨G_emb, G_out⟩ as well.
         *
         * @param embeddingGradient ∂L/∂(embedded tokens) (T, B, E), position order
         */
        void addSquaredNorms(NDArray squaredNorms, ClippingUnits units, ForwardTrace trace, NDArray embeddingGradient);

        /**
         * Adds each unit's squared norm of the head's parameter gradients scaled coordinate by
         * coordinate (ARCHITECTURE §3.11); a head that has no such norm says so.
         */
        default void addScaledSquaredNorms(NDArray squaredNorms, ScaledNorms norms) {
            throw new UnsupportedOperationException("this head has no scaled norms");
        }

        /**
         * Writes the head's clipped sums with per-example factors (B) into {@code sums} (a tied
         * output weight is added into the embedding's sum, which is already there).
         */
        void addClippedSums(NDArray[] sums, ForwardTrace trace, NDArray factors);
    }
}
