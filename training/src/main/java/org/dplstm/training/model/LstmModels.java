package org.dplstm.training.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** Makes a text model of either task from its config: a replica on another device, or an executor's copy. */
public final class LstmModels {

    private LstmModels() {}

    /** A new classifier or language model (by the config's task) in a child of {@code parent}. */
    public static LstmStackModel create(ModelConfig config, NDManager parent, long seed) {
        return config.task() == ModelTask.LANGUAGE_MODEL
                ? LstmLanguageModel.create(config, parent, seed)
                : LstmClassifier.create(config, parent, seed);
    }

    /** Copies every parameter of {@code from} into {@code to} (same shapes, any devices). */
    public static void copyParameters(DifferentiableModel from, DifferentiableModel to) {
        NDList source = from.parameters();
        NDList target = to.parameters();
        if (source.size() != target.size()) {
            throw new IllegalArgumentException("models must have the same parameters, had " + source.size()
                    + " and " + target.size());
        }
        for (int i = 0; i < source.size(); i++) {
            source.get(i).copyTo(target.get(i));
        }
    }
}
