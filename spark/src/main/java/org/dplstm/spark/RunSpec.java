package org.dplstm.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dplstm.training.model.ModelConfig;

/**
 * What every step's tasks of one run share, broadcast once: the run's id (which executor models
 * belong to it), the model's shape, and how a partition computes its clipped sum.
 */
record RunSpec(String runId, LinkedHashMap<String, Object> modelConfig, int numClasses, boolean userLevel,
        double maxGradNorm, int microBatchSize) implements Serializable {

    private static final long serialVersionUID = 1L;

    RunSpec(String runId, ModelConfig config, int numClasses, boolean userLevel, double maxGradNorm,
            int microBatchSize) {
        this(runId, new LinkedHashMap<>(config.toMap()), numClasses, userLevel, maxGradNorm, microBatchSize);
    }

    ModelConfig config() {
        return ModelConfig.fromMap((Map<String, ?>) modelConfig);
    }
}
