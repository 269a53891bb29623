package org.dplstm.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.dplstm.privacy.PrivacyEvent;

/**
 * JSON form of the accountant's history, as the audit log and the ledger store it:
 * {@code {"mechanism":"poisson_gaussian","sample_rate":q,"noise_multiplier":σ,"count":n}},
 * {@code {"mechanism":"gaussian","noise_multiplier":σ,"count":n}},
 * {@code {"mechanism":"threshold_delta","delta":d}},
 * {@code {"mechanism":"repeated_selection","eta":η,"gamma":γ,"trial":[events]}} (private tuning).
 */
public final class PrivacyEventJson {

    private PrivacyEventJson() {}

    public static ObjectNode toJson(PrivacyEvent event) {
        ObjectNode node = ChainedLines.JSON.createObjectNode();
        if (event instanceof PrivacyEvent.PoissonGaussian e) {
            node.put("mechanism", "poisson_gaussian");
            node.put("sample_rate", e.sampleRate());
            node.put("noise_multiplier", e.noiseMultiplier());
            node.put("count", e.count());
        } else if (event instanceof PrivacyEvent.Gaussian e) {
            node.put("mechanism", "gaussian");
            node.put("noise_multiplier", e.noiseMultiplier());
            node.put("count", e.count());
        } else if (event instanceof PrivacyEvent.ThresholdDelta e) {
            node.put("mechanism", "threshold_delta");
            node.put("delta", e.delta());
        } else if (event instanceof PrivacyEvent.RepeatedSelection e) {
            node.put("mechanism", "repeated_selection");
            node.put("eta", e.eta());
            node.put("gamma", e.gamma());
            node.set("trial", toJson(e.trial()));
        } else {
            throw new IllegalArgumentException("unknown privacy event " + event);
        }
        return node;
    }

    public static ArrayNode toJson(List<? extends PrivacyEvent> events) {
        ArrayNode array = ChainedLines.JSON.createArrayNode();
        events.forEach(event -> array.add(toJson(event)));
        return array;
    }

    /** Reads one event; a missing or mistyped field is an IllegalArgumentException naming it. */
    public static PrivacyEvent fromJson(JsonNode node) {
        String mechanism = node.path("mechanism").asText("");
        switch (mechanism) {
            case "poisson_gaussian":
                return new PrivacyEvent.PoissonGaussian(
                        number(node, "sample_rate"), number(node, "noise_multiplier"), count(node));
            case "gaussian":
                return new PrivacyEvent.Gaussian(number(node, "noise_multiplier"), count(node));
            case "threshold_delta":
                return new PrivacyEvent.ThresholdDelta(number(node, "delta"));
            case "repeated_selection":
                return new PrivacyEvent.RepeatedSelection(listFromJson(node.get("trial")), number(node, "eta"),
                        number(node, "gamma"));
            default:
                throw new IllegalArgumentException("privacy event mechanism must be one of "
                        + "poisson_gaussian, gaussian, threshold_delta, repeated_selection, was '" + mechanism + "'");
        }
    }

    public static List<PrivacyEvent> listFromJson(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("privacy events must be a JSON array, was " + array);
        }
        List<PrivacyEvent> events = new ArrayList<>();
        array.forEach(node -> events.add(fromJson(node)));
        return events;
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalArgumentException("privacy event field " + field + " must be a number, was " + value);
        }
        return value.doubleValue();
    }

    private static long count(JsonNode node) {
        JsonNode value = node.get("count");
        if (value == null || !value.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("privacy event field count must be an integer, was " + value);
        }
        return value.longValue();
    }
}
