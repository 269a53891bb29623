package org.dplstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.training.dpsgd.EpochSummary;
import org.dplstm.training.dpsgd.PrivacyHistory;
import org.dplstm.training.dpsgd.TrainingResult;

/** RUN_DIR/report.json: the run's privacy guarantee, validation figures and what produced them. */
final class RunReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReport() {}

    static Map<String, Object> of(TrainingResult result, Map<String, Object> run, Map<String, Object> model,
            int trainExamples, int validExamples) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("private", result.isPrivate());
        report.put("valid_accuracy", finite(result.validAccuracy()));
        report.put("valid_loss", finite(result.validLoss()));
        // a task's further validation figures (an encoder-decoder's bleu, chrf) as of the last epoch
        EpochSummary last = result.epochs().isEmpty() ? null : result.epochs().get(result.epochs().size() - 1);
        if (last != null) {
            putMetrics(report, last);
        }
        report.put("epsilon", result.isPrivate() ? result.epsilon() : null);
        report.put("epsilon_breakdown", result.isPrivate() ? result.epsilonBreakdown() : null);
        report.put("accountant", result.isPrivate() ? result.accountant().id() : null);
        report.put("delta", result.isPrivate() ? result.delta() : null);
        report.put("noise_multiplier", result.isPrivate() ? result.noiseMultiplier() : null);
        report.put("sample_rate", result.isPrivate() ? result.sampleRate() : null);
        report.put("expected_batch_size", result.expectedBatchSize());
        report.put("privacy_unit", result.privacyUnit().id());
        report.put("steps", result.steps());
        report.put("planned_steps", result.plannedSteps());
        report.put("stopped_by_budget", result.stoppedByBudget());
        report.put("train_seconds", Math.round(result.trainSeconds() * 1000) / 1000.0);
        report.put("train_examples", trainExamples);
        report.put("valid_examples", validExamples);
        report.put("privacy_history", PrivacyHistory.toMaps(result.privacyHistory()));
        report.put("epochs", result.epochs().stream().map(RunReport::epoch).toList());
        report.put("model", model);
        report.put("config", run);
        return report;
    }

    /**
     * A language model's report: {@code valid_perplexity} = exp(mean next-token loss in nats) after
     * {@code valid_loss}, overall and per epoch (null without validation data).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> forLanguageModel(Map<String, Object> report) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : report.entrySet()) {
            if (entry.getKey().equals("epochs")) {
                result.put("epochs", ((java.util.List<Map<String, Object>>) entry.getValue()).stream()
                        .map(RunReport::forLanguageModel).toList());
                continue;
            }
            result.put(entry.getKey(), entry.getValue());
            if (entry.getKey().equals("valid_loss")) {
                result.put("valid_perplexity", entry.getValue() == null ? null : Math.exp((Double) entry.getValue()));
            }
        }
        return result;
    }

    static void write(Path runDir, Map<String, Object> report) throws IOException {
        AtomicFile.writeString(RunFiles.of(runDir).report(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }

    private static Map<String, Object> epoch(EpochSummary e) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("epoch", e.epoch());
        map.put("steps", e.steps());
        map.put("epsilon", finite(e.epsilon()));
        map.put("valid_accuracy", finite(e.validAccuracy()));
        map.put("valid_loss", finite(e.validLoss()));
        putMetrics(map, e);
        return map;
    }

    /** Each further validation figure of an epoch as {@code valid_<name>} (e.g. valid_bleu), names sorted. */
    private static void putMetrics(Map<String, Object> map, EpochSummary e) {
        new java.util.TreeMap<>(e.validMetrics()).forEach((name, value) -> map.put("valid_" + name, finite(value)));
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** One sentence for the console: the guarantee in plain words. */
    static String guarantee(TrainingResult result) {
        if (!result.isPrivate()) {
            return "No privacy guarantee: trained with --no-privacy (no clipping, no noise).";
        }
        return String.format(Locale.ROOT,
                "(epsilon = %.3f, delta = %.1e)-differential privacy per %s (%s accountant, %d DP-SGD steps,"
                        + " noise multiplier %.3f, sample rate %.4f)%s",
                result.epsilon(), result.delta(), result.privacyUnit().id(), result.accountant().id(), result.steps(),
                result.noiseMultiplier(), result.sampleRate(),
                result.stoppedByBudget() ? "; stopped early: budget exhausted" : "");
    }
}
