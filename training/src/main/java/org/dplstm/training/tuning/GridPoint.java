package org.dplstm.training.tuning;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dplstm.training.dpsgd.DpSgdConfig;

/**
 * One point of the tuning grid: a learning rate and a clipping norm. Neither changes a trial's
 * privacy cost (σ is relative to the clipping norm; q, steps and σ are the run's), which is what
 * lets every trial share one RDP curve (ARCHITECTURE §4.1).
 */
public record GridPoint(double learningRate, double maxGradNorm) {

    /** The run's configuration with this point's learning rate and clipping norm. */
    public DpSgdConfig applyTo(DpSgdConfig config) {
        return config.toBuilder().optLearningRate(learningRate).optMaxGradNorm(maxGradNorm).build();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("lr", learningRate);
        map.put("max_grad_norm", maxGradNorm);
        return map;
    }
}
