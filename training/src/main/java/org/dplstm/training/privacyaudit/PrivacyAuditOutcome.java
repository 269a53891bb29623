package org.dplstm.training.privacyaudit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.dplstm.audit.empirical.OneRunAudit;
import org.dplstm.audit.empirical.PrivacyAuditResult;

/**
 * What an audit measured: the headline figures ({@link #result()}, as privacy_audit.json holds
 * them) and the details behind them (the losses of the audit examples in and out, the guesses
 * made for each fixed guess count and the bound each gave).
 *
 * @param exactExposure true when every candidate secret was scored, false when extrapolated
 * @param log2SpaceSize log2 |R|, the largest exposure possible
 * @param auditExampleKind what the one-run audit examples are (e.g. relabelled training records)
 * @param delta the δ the ε lower bound is stated at (the run's δ)
 * @param confidence the lower bound's confidence (each guess count tested at the union-bound share)
 */
public record PrivacyAuditOutcome(
        PrivacyAuditResult result,
        boolean exactExposure,
        double log2SpaceSize,
        int canaries,
        int repeats,
        String auditExampleKind,
        double[] includedLosses,
        double[] excludedLosses,
        List<BoundForGuesses> bounds,
        double delta,
        double confidence) {

    /** The lower bound from one fixed number of guesses, tested at β / (number of guess counts). */
    public record BoundForGuesses(OneRunAudit.Guesses guesses, double epsilonLowerBound) {}

    public PrivacyAuditOutcome {
        includedLosses = includedLosses.clone();
        excludedLosses = excludedLosses.clone();
        bounds = List.copyOf(bounds);
    }

    /** privacy_audit.json: the result's keys, then {@code experiment} with how they were measured. */
    public ObjectNode toJson() {
        ObjectNode root = result.toJson();
        ObjectNode experiment = root.putObject("experiment");
        experiment.put("canaries", canaries);
        experiment.put("repeats", repeats);
        experiment.put("exposure_method", exactExposure ? "exact rank" : "skew-normal extrapolation (Carlini et al. 2019)");
        experiment.put("exposure_max", log2SpaceSize);
        experiment.put("audit_examples", includedLosses.length + excludedLosses.length);
        experiment.put("audit_examples_kind", auditExampleKind);
        experiment.put("audit_examples_included", includedLosses.length);
        experiment.put("confidence", confidence);
        experiment.put("delta", delta);
        ArrayNode guesses = experiment.putArray("one_run_guesses");
        for (BoundForGuesses bound : bounds) {
            ObjectNode node = guesses.addObject();
            node.put("guesses", bound.guesses().guesses());
            node.put("correct", bound.guesses().correct());
            if (Double.isFinite(bound.epsilonLowerBound())) {
                node.put("epsilon_lower_bound", bound.epsilonLowerBound());
            } else {
                node.putNull("epsilon_lower_bound");
            }
        }
        return root;
    }
}
