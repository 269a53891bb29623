package org.dplstm.audit.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dplstm.audit.verify.VerificationResult;

/**
 * Everything a compliance report says about one run, gathered from RUN_DIR/report.json (written
 * by training), RUN_DIR/audit.jsonl and RUN_DIR/privacy_audit.json. Figures the run did not have
 * are NaN (numbers) or null/missing JSON.
 *
 * @param epsilon total ε the run reports (NaN without privacy)
 * @param epsilonBreakdown ε per mechanism as training reported it (JSON object, may be empty)
 * @param epsilonRecomputed ε recomputed here from the run_end event's accountant history with the
 *     run's accountant at its δ (NaN when the log has no run_end or the run is not private)
 * @param plannedEpsilon ε the run_start event planned to spend
 * @param epsilonBySteps ε after each epoch, from the log's epoch events
 * @param verification the audit log's verdict (empty when there is no log)
 * @param privacyAudit RUN_DIR/privacy_audit.json when present
 * @param task "classify" or "lm" (a language model, whose validation figure is perplexity)
 * @param validPerplexity a language model's validation perplexity per predicted token (NaN otherwise)
 * @param validationScores further validation figures of the last epoch as the verified log records
 *     them (an encoder-decoder's "bleu" and "chrf"; empty otherwise)
 */
public record RunReport(
        String runDir,
        Optional<String> runId,
        boolean privateRun,
        double epsilon,
        JsonNode epsilonBreakdown,
        double epsilonRecomputed,
        double plannedEpsilon,
        String accountant,
        double delta,
        double noiseMultiplier,
        double sampleRate,
        long steps,
        String privacyUnit,
        double validAccuracy,
        double trainSeconds,
        Optional<String> datasetFingerprint,
        JsonNode config,
        JsonNode sanitizationConfig,
        JsonNode sanitizationReport,
        List<EpsilonPoint> epsilonBySteps,
        Optional<VerificationResult> verification,
        Optional<JsonNode> privacyAudit,
        String task,
        double validPerplexity,
        Map<String, Double> validationScores) {

    /** The task id of a language-model run. */
    public static final String LANGUAGE_MODEL_TASK = "lm";
    /** The task id of an encoder-decoder run (its validation figures: perplexity, BLEU, chrF). */
    public static final String ENCODER_DECODER_TASK = "seq2seq";

    public RunReport {
        epsilonBySteps = List.copyOf(epsilonBySteps);
        validationScores = Map.copyOf(validationScores);
    }

    public boolean languageModel() {
        return LANGUAGE_MODEL_TASK.equals(task);
    }

    public boolean encoderDecoder() {
        return ENCODER_DECODER_TASK.equals(task);
    }

    /** True when the recomputed ε exists and agrees with the reported one to 1e-6 relative. */
    public Optional<Boolean> recomputationAgrees() {
        if (Double.isNaN(epsilonRecomputed) || Double.isNaN(epsilon)) {
            return Optional.empty();
        }
        return Optional.of(Math.abs(epsilonRecomputed - epsilon) <= 1e-6 * Math.max(1.0, Math.abs(epsilon)));
    }
}
