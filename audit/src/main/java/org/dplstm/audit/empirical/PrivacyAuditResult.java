package org.dplstm.audit.empirical;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.dplstm.audit.log.ChainedLines;

/**
 * The figures of an empirical privacy audit, as RUN_DIR/privacy_audit.json holds them (and
 * {@code dplstm report} reads them): {@code exposure} ({@code mean}, {@code per_canary}),
 * {@code mia_auc}, {@code mia_tpr_at_fpr} ({@code "0.001"}, {@code "0.01"}),
 * {@code epsilon_lower_bound}, {@code epsilon_formal} (null without privacy).
 */
public record PrivacyAuditResult(
        List<Double> exposurePerCanary,
        MembershipInference.Result membershipInference,
        double epsilonLowerBound,
        double epsilonFormal) {

    public PrivacyAuditResult {
        exposurePerCanary = List.copyOf(exposurePerCanary);
    }

    public double meanExposure() {
        return exposurePerCanary.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    public ObjectNode toJson() {
        ObjectNode root = ChainedLines.mapper().createObjectNode();
        ObjectNode exposure = root.putObject("exposure");
        putNumber(exposure, "mean", meanExposure());
        ArrayNode perCanary = exposure.putArray("per_canary");
        exposurePerCanary.forEach(perCanary::add);
        putNumber(root, "mia_auc", membershipInference.auc());
        ObjectNode tpr = root.putObject("mia_tpr_at_fpr");
        putNumber(tpr, "0.001", membershipInference.tprAtFpr001());
        putNumber(tpr, "0.01", membershipInference.tprAtFpr01());
        putNumber(root, "epsilon_lower_bound", epsilonLowerBound);
        putNumber(root, "epsilon_formal", epsilonFormal);
        return root;
    }

    private static void putNumber(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }
}
