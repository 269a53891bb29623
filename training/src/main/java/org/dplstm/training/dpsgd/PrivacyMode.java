package org.dplstm.training.dpsgd;

/** How a run's noise multiplier is chosen. */
public enum PrivacyMode {
    /** σ is calibrated before training so that the whole plan spends at most the target ε. */
    TARGET_EPSILON,
    /** σ is given; ε is whatever the plan spends (optionally capped). */
    FIXED_NOISE,
    /** No clipping, no noise, fixed-size shuffled batches: a non-private baseline. */
    NONE
}
