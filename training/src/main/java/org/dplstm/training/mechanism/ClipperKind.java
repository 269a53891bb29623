package org.dplstm.training.mechanism;

/** How the mechanism clips per-unit gradients. */
public enum ClipperKind {
    /** One batched forward and backward per micro-batch; supported blocks only (ARCHITECTURE §3). */
    FUSED,
    /** One forward and backward per clipping unit through the model's own blocks: any block, slowly. */
    LOOP
}
