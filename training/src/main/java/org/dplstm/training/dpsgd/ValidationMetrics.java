package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * Validation figures of a task beyond the mean loss and accuracy, measured at each epoch end on
 * the validation set (e.g. an encoder-decoder's BLEU and chrF from greedy decoding), by name.
 * Arrays it makes belong to {@code scope}.
 */
@FunctionalInterface
public interface ValidationMetrics {

    Map<String, Double> measure(EncodedDataset valid, NDManager scope);
}
