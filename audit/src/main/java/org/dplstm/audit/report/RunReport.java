package org.dplstm.audit.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dplstm.audit.verify.VerificationResult;

/**
 * Everything a compliance report says about one run, from the verified part of RUN_DIR/audit.jsonl
 * (and RUN_DIR/privacy_audit.json, which the log does not cover). Figures the run did not have are
 * NaN (numbers) or null/missing JSON.
 *
 * @param finished whether the verified log ends with run_end (otherwise there is no final ε)
 * @param epsilon total ε spent as run_end states it (NaN without privacy or without run_end); a claim,
 *     which the report states as the guarantee only where its privacy events compose to no more
 *     ({@link #guaranteedEpsilon})
 * @param epsilonBreakdown ε per mechanism as run_end records it (JSON object, may be empty)
 * @param epsilonRecomputed ε recomputed here from the run_end event's accountant history with the
 *     run's accountant at its δ (NaN when the log has no run_end or the run is not private)
 * @param plannedEpsilon ε the run_start event planned to spend
 * @param epsilonBySteps ε after each epoch, from the log's epoch events
 * @param verification the audit log's verdict (empty when there is no log)
 * @param privacyAudit RUN_DIR/privacy_audit.json when present
 * @param task "classify", "lm" (a language model, whose validation figure is perplexity) or
 *     "seq2seq" (an encoder-decoder: perplexity, BLEU and chrF)
 * @param validPerplexity a language model's or an encoder-decoder's validation perplexity per
 *     predicted token (NaN otherwise)
 * @param validationScores further validation figures of the last epoch as the verified log records
 *     them (an encoder-decoder's "bleu" and "chrf"; empty otherwise)
 * @param integrityProblems one sentence for each way the run's record does not hold together (the
 *     log does not verify, an artefact or report.json disagrees with it); empty when it does
 */
public record RunReport(
        String runDir,
        Optional<String> runId,
        boolean privateRun,
        boolean finished,
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
        Map<String, Double> validationScores,
        List<String> integrityProblems) {

    /** The task id of a language-model run. */
    public static final String LANGUAGE_MODEL_TASK = "lm";
    /** The task id of an encoder-decoder run (its validation figures: perplexity, BLEU, chrF). */
    public static final String ENCODER_DECODER_TASK = "seq2seq";

    public RunReport {
        epsilonBySteps = List.copyOf(epsilonBySteps);
        validationScores = Map.copyOf(validationScores);
        integrityProblems = List.copyOf(integrityProblems);
    }

    /** This report with {@code problems} as its integrity problems. */
    public RunReport withIntegrityProblems(List<String> problems) {
        return new RunReport(runDir, runId, privateRun, finished, epsilon, epsilonBreakdown, epsilonRecomputed,
                plannedEpsilon, accountant, delta, noiseMultiplier, sampleRate, steps, privacyUnit, validAccuracy,
                trainSeconds, datasetFingerprint, config, sanitizationConfig, sanitizationReport, epsilonBySteps,
                verification, privacyAudit, task, validPerplexity, validationScores, problems);
    }

    public boolean languageModel() {
        return LANGUAGE_MODEL_TASK.equals(task);
    }

    public boolean encoderDecoder() {
        return ENCODER_DECODER_TASK.equals(task);
    }

    /** Whether the verified run_start's model is the n-gram classifier (its config's {@code model.model}). */
    public boolean ngramClassifier() {
        return config != null && "ngram".equals(config.path("model").path("model").asText());
    }

    /**
     * The ε the report states as the run's: run_end's, unless the privacy events run_end records
     * compose to another ε, then the larger of the two. A claim below what the events compose to is
     * unsupported; events composing below the claim may be incomplete (an edited list composes to as
     * little as 0), so neither smaller figure is ever stated as the guarantee.
     */
    public double guaranteedEpsilon() {
        return epsilonDisputed() ? Math.max(epsilon, epsilonRecomputed) : epsilon;
    }

    /** Whether run_end's ε and the ε its privacy events compose to both exist and disagree. */
    public boolean epsilonDisputed() {
        return recomputationAgrees().equals(Optional.of(false));
    }

    /** True when the recomputed ε exists and agrees with the reported one to 1e-6 relative. */
    public Optional<Boolean> recomputationAgrees() {
        if (Double.isNaN(epsilonRecomputed) || Double.isNaN(epsilon)) {
            return Optional.empty();
        }
        return Optional.of(Math.abs(epsilonRecomputed - epsilon) <= 1e-6 * Math.max(1.0, Math.abs(epsilon)));
    }
}
