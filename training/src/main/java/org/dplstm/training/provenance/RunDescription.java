package org.dplstm.training.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.PrivacyPlan;

/**
 * What a run_start event says about a run beyond {@link AuditSettings}: its DP-SGD configuration
 * and plan, its task, the model's shape, how text becomes tokens, how its text was sanitized
 * (settings and counts, never values), and how its vocabulary was chosen. Its privacy cost is in
 * the plan's prior costs.
 *
 * @param task "classify" or "lm"
 * @param encoding how text becomes tokens: token level, maximum length, tokenizer (no data)
 * @param vocabularyMethod "hash", "file", "dp" or "public_charset"
 */
public record RunDescription(
        DpSgdConfig config,
        PrivacyPlan plan,
        String task,
        JsonNode model,
        JsonNode encoding,
        JsonNode sanitizationConfig,
        JsonNode sanitizationReport,
        String vocabularyMethod,
        int vocabularySize) {

    public RunDescription {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(sanitizationConfig, "sanitization config");
        Objects.requireNonNull(sanitizationReport, "sanitization report");
        Objects.requireNonNull(vocabularyMethod, "vocabulary method");
    }
}
