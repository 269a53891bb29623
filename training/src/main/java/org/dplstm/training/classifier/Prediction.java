package org.dplstm.training.classifier;

/** A predicted label and the model's probability for it. */
public record Prediction(String label, double probability) {}
