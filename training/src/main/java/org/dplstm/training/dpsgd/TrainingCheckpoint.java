package org.dplstm.training.dpsgd;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.training.checkpoint.CheckpointFile;
import org.dplstm.training.model.DifferentiableModel;

/**
 * A run's complete resumable state: its configuration and privacy plan, the logical steps taken,
 * the accountant's full history (prior mechanisms and every step), the epoch summaries, the
 * model's parameters and the optimizer's state. Sampling and noise randomness is deliberately
 * not saved: a resumed run draws fresh randomness (ARCHITECTURE §5b).
 */
public record TrainingCheckpoint(
        DpSgdConfig config,
        PrivacyPlan plan,
        long steps,
        List<PrivacyEvent> history,
        List<EpochSummary> epochs,
        double trainSeconds,
        Map<String, NDArray> parameters,
        Map<String, NDArray> optimizerState) {

    public TrainingCheckpoint {
        history = List.copyOf(history);
        epochs = List.copyOf(epochs);
    }

    /** Writes and syncs the checkpoint under its temporary name; {@link CheckpointFile.Staged#commit} puts it in place. */
    public CheckpointFile.Staged stageTo(Path file) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("steps", steps);
        header.put("train_seconds", trainSeconds);
        header.put("config", config.toMap());
        header.put("plan", planToMap(plan));
        header.put("history", PrivacyHistory.toMaps(history));
        header.put("epochs", epochs.stream().map(TrainingCheckpoint::epochToMap).toList());
        return CheckpointFile.stage(file, new CheckpointFile.Contents(header, parameters, optimizerState));
    }

    /** Reads a checkpoint written by {@link #writeTo}; arrays live in {@code manager}. */
    @SuppressWarnings("unchecked")
    public static TrainingCheckpoint readFrom(Path file, NDManager manager) throws IOException {
        CheckpointFile.Contents contents = CheckpointFile.read(file, manager);
        Map<String, Object> header = contents.header();
        DpSgdConfig config = DpSgdConfig.fromMap((Map<String, ?>) header.get("config"));
        PrivacyPlan plan = planFromMap((Map<String, Object>) header.get("plan"));
        List<PrivacyEvent> history = PrivacyHistory.fromMaps((List<?>) header.get("history"));
        List<EpochSummary> epochs = new ArrayList<>();
        for (Object epoch : (List<?>) header.get("epochs")) {
            epochs.add(epochFromMap((Map<String, Object>) epoch));
        }
        return new TrainingCheckpoint(config, plan, ((Number) header.get("steps")).longValue(), history, epochs,
                ((Number) header.get("train_seconds")).doubleValue(), contents.parameters(),
                contents.optimizerState());
    }

    /** Copies the saved parameters into the model's arrays (names and shapes must match). */
    public void copyParametersInto(DifferentiableModel model) {
        NDList targets = model.parameters();
        List<String> names = model.parameterNames();
        if (!names.equals(new ArrayList<>(parameters.keySet()))) {
            throw new IllegalArgumentException(
                    "checkpoint parameters must be the model's " + names + ", were " + parameters.keySet());
        }
        for (int i = 0; i < targets.size(); i++) {
            NDArray saved = parameters.get(names.get(i));
            NDArray target = targets.get(i);
            if (!saved.getShape().equals(target.getShape())) {
                throw new IllegalArgumentException("checkpoint parameter " + names.get(i) + " must have shape "
                        + target.getShape() + ", had " + saved.getShape());
            }
            target.set(saved.toType(target.getDataType(), false).toDevice(target.getDevice(), false).toByteBuffer());
        }
    }

    static Map<String, Object> planToMap(PrivacyPlan plan) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("private", plan.isPrivate());
        map.put("unit", plan.unit().id());
        map.put("population_size", plan.populationSize());
        map.put("expected_batch_size", plan.expectedBatchSize());
        map.put("sample_rate", plan.sampleRate());
        map.put("planned_steps", plan.plannedSteps());
        map.put("noise_multiplier", plan.noiseMultiplier());
        map.put("delta", plan.delta());
        map.put("accountant", plan.accountant().id());
        map.put("epsilon_cap", plan.hasEpsilonCap() ? plan.epsilonCap() : null);
        List<Map<String, Object>> costs = new ArrayList<>();
        for (PrivacyCost cost : plan.priorCosts()) {
            costs.add(Map.of("mechanism", cost.mechanism(), "events", PrivacyHistory.toMaps(cost.events())));
        }
        map.put("prior_costs", costs);
        return map;
    }

    @SuppressWarnings("unchecked")
    static PrivacyPlan planFromMap(Map<String, Object> map) {
        List<PrivacyCost> costs = new ArrayList<>();
        for (Object cost : (List<?>) map.get("prior_costs")) {
            Map<String, Object> c = (Map<String, Object>) cost;
            costs.add(new PrivacyCost((String) c.get("mechanism"), PrivacyHistory.fromMaps((List<?>) c.get("events"))));
        }
        Object cap = map.get("epsilon_cap");
        return new PrivacyPlan((Boolean) map.get("private"), PrivacyUnit.parse((String) map.get("unit")),
                ((Number) map.get("population_size")).intValue(),
                ((Number) map.get("expected_batch_size")).doubleValue(),
                ((Number) map.get("sample_rate")).doubleValue(), ((Number) map.get("planned_steps")).longValue(),
                ((Number) map.get("noise_multiplier")).doubleValue(), ((Number) map.get("delta")).doubleValue(),
                AccountantKind.parse((String) map.get("accountant")),
                cap == null ? Double.NaN : ((Number) cap).doubleValue(), costs);
    }

    static Map<String, Object> epochToMap(EpochSummary e) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("epoch", e.epoch());
        map.put("steps", e.steps());
        map.put("epsilon", finiteOrNull(e.epsilon()));
        map.put("valid_loss", finiteOrNull(e.validLoss()));
        map.put("valid_accuracy", finiteOrNull(e.validAccuracy()));
        if (!e.validMetrics().isEmpty()) {
            map.put("valid_metrics", new java.util.TreeMap<>(e.validMetrics()));
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    static EpochSummary epochFromMap(Map<String, Object> map) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Object stored = map.get("valid_metrics");
        if (stored instanceof Map<?, ?> named) {
            ((Map<String, Object>) named).forEach((name, value) -> metrics.put(name, orNaN(value)));
        }
        return new EpochSummary(((Number) map.get("epoch")).intValue(), ((Number) map.get("steps")).longValue(),
                orNaN(map.get("epsilon")), orNaN(map.get("valid_loss")), orNaN(map.get("valid_accuracy")), metrics);
    }

    static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double orNaN(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }
}
