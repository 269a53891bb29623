package org.dplstm.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A trainable text model of a {@link ModelConfig} whose parameters live in a manager of its own:
 * what a model file holds ({@link ModelFile}), a run directory keeps, and the per-example reference
 * loop differentiates. An {@link LstmStackModel} (classifier, language model) or an {@link
 * LstmEncoderDecoder}.
 */
public interface TextModel extends DifferentiableModel, AutoCloseable {

    ModelConfig config();

    /** The manager that owns the parameters. */
    NDManager manager();

    /** The plain autograd gradient of the batch's summed loss with a given dropout scale, or null. */
    NDList gradientSum(NDManager scope, Batch batch, NDArray dropoutScale);

    @Override
    void close();
}
