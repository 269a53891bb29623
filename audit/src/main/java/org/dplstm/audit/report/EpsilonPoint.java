package org.dplstm.audit.report;

import java.util.Map;

/** ε spent after {@code steps} DP-SGD steps, per accountant id, as an epoch event recorded it. */
public record EpsilonPoint(long steps, Map<String, Double> epsilonByAccountant) {
    public EpsilonPoint {
        epsilonByAccountant = Map.copyOf(epsilonByAccountant);
    }
}
