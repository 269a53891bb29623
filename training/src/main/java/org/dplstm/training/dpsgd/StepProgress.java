package org.dplstm.training.dpsgd;

/**
 * One finished logical step, for a local progress display only. {@code trainLoss} and {@code
 * trainAccuracy} are measured on part of the sampled batch every few steps (NaN otherwise); they
 * are NOT differentially private and must never be logged or reported.
 */
public record StepProgress(
        long step, int epoch, long stepInEpoch, long stepsInEpoch, double trainLoss, double trainAccuracy) {}
