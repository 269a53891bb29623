package org.dplstm.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Median step times (ms) measured in one process, and the fused method's error against the loop.
 * {@code preconditionedClippedSumMs} is public preconditioning's fused scaled clipped sum (NaN but
 * for the project's language models).
 * {@code noiseMs} is drawing a step's noise on the step's own thread; {@code noiseOnStepMs} is what
 * noise costs the DP step as the trainer adds it (drawn ahead: waiting for it, moving it, adding it).
 */
public record BenchResult(
        BenchShape shape,
        double nonprivateStepMs,
        double dpStepMs,
        double dpStepSerialNoiseMs,
        double loopStepMs,
        double clippedSumMs,
        String method,
        double otherMethodClippedSumMs,
        String otherMethod,
        double preconditionedClippedSumMs,
        double noiseMs,
        double noiseOnStepMs,
        double maxRelError,
        String worstParameter,
        String noiseSource,
        int threads) {

    public double dpOverNonprivate() {
        return dpStepMs / nonprivateStepMs;
    }

    public double loopOverDp() {
        return loopStepMs / dpStepMs;
    }

    /**
     * The loop against the non-private step: the most {@link #loopOverDp()} can be, reached only
     * by a DP step that costs no more than plain training.
     */
    public double loopOverNonprivate() {
        return loopStepMs / nonprivateStepMs;
    }

    /** The values as JSON-ready pairs (keys of issue 4 first). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("nonprivate_step_ms", round(nonprivateStepMs));
        map.put("dp_step_ms", round(dpStepMs));
        map.put("loop_step_ms", round(loopStepMs));
        map.put("dp_over_nonprivate", round(dpOverNonprivate()));
        map.put("max_rel_error", maxRelError);
        map.put("loop_over_dp", round(loopOverDp()));
        map.put("loop_over_nonprivate", round(loopOverNonprivate()));
        map.put("dp_step_serial_noise_ms", round(dpStepSerialNoiseMs));
        map.put("dp_serial_noise_over_nonprivate", round(dpStepSerialNoiseMs / nonprivateStepMs));
        map.put("worst_parameter", worstParameter);
        map.put("clipped_sum_ms", round(clippedSumMs));
        map.put("method", method);
        map.put("other_method", otherMethod);
        // null when the task has one method only
        map.put("other_method_clipped_sum_ms", Double.isNaN(otherMethodClippedSumMs) ? null : round(otherMethodClippedSumMs));
        // null unless the model is a language model of the project's own
        map.put("preconditioned_clipped_sum_ms",
                Double.isNaN(preconditionedClippedSumMs) ? null : round(preconditionedClippedSumMs));
        map.put("noise_ms", round(noiseMs));
        map.put("noise_on_step_ms", round(noiseOnStepMs));
        map.put("noise_share_of_dp_step", round(noiseOnStepMs / dpStepMs));
        map.put("noise_source", noiseSource);
        map.put("batch", shape.batch());
        map.put("length", shape.length());
        map.put("embedding", shape.embedding());
        map.put("hidden", shape.hidden());
        map.put("vocab", shape.vocab());
        map.put("classes", shape.classes());
        map.put("task", shape.task().id());
        map.put("cell", shape.cell().id());
        map.put("model", shape.block() ? "djl-block" : "dplstm");
        map.put("data_type", shape.dataType().toString());
        map.put("repetitions", shape.repetitions());
        map.put("loop_repetitions", shape.loopRepetitions());
        map.put("engine_threads", threads);
        return map;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
