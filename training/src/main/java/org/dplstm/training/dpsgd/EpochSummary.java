package org.dplstm.training.dpsgd;

/**
 * The end of one epoch: logical steps done so far, ε spent so far (the run's total under its
 * accountant; NaN without privacy), and validation loss and accuracy (NaN without a validation
 * set). Training-set figures are deliberately absent: they are not differentially private.
 */
public record EpochSummary(int epoch, long steps, double epsilon, double validLoss, double validAccuracy) {}
