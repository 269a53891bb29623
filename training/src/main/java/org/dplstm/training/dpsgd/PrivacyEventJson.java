package org.dplstm.training.dpsgd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.privacy.PrivacyEvent;

/** Privacy events as plain maps (checkpoints, reports), with consecutive equal steps merged. */
public final class PrivacyEventJson {

    private PrivacyEventJson() {}

    public static Map<String, Object> toMap(PrivacyEvent event) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (event instanceof PrivacyEvent.PoissonGaussian e) {
            map.put("type", "poisson_gaussian");
            map.put("sample_rate", e.sampleRate());
            map.put("noise_multiplier", e.noiseMultiplier());
            map.put("count", e.count());
        } else if (event instanceof PrivacyEvent.Gaussian e) {
            map.put("type", "gaussian");
            map.put("noise_multiplier", e.noiseMultiplier());
            map.put("count", e.count());
        } else if (event instanceof PrivacyEvent.ThresholdDelta e) {
            map.put("type", "threshold_delta");
            map.put("delta", e.delta());
        } else {
            throw new IllegalArgumentException("unknown privacy event " + event);
        }
        return map;
    }

    public static PrivacyEvent fromMap(Map<String, ?> map) {
        String type = String.valueOf(map.get("type"));
        return switch (type) {
            case "poisson_gaussian" -> new PrivacyEvent.PoissonGaussian(
                    number(map, "sample_rate"), number(map, "noise_multiplier"), (long) number(map, "count"));
            case "gaussian" -> new PrivacyEvent.Gaussian(number(map, "noise_multiplier"), (long) number(map, "count"));
            case "threshold_delta" -> new PrivacyEvent.ThresholdDelta(number(map, "delta"));
            default -> throw new IllegalArgumentException(
                    "privacy event type must be one of poisson_gaussian|gaussian|threshold_delta, was " + type);
        };
    }

    public static List<Map<String, Object>> toMaps(List<PrivacyEvent> events) {
        return merged(events).stream().map(PrivacyEventJson::toMap).toList();
    }

    @SuppressWarnings("unchecked")
    public static List<PrivacyEvent> fromMaps(List<?> maps) {
        return maps.stream().map(m -> fromMap((Map<String, ?>) m)).toList();
    }

    /**
     * Merges runs of equal repeated mechanisms into one event with the summed count: k steps of
     * the same (q, σ) compose exactly as one event of count k, so ε is unchanged.
     */
    public static List<PrivacyEvent> merged(List<PrivacyEvent> events) {
        List<PrivacyEvent> out = new ArrayList<>();
        for (PrivacyEvent event : events) {
            PrivacyEvent last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last instanceof PrivacyEvent.PoissonGaussian a && event instanceof PrivacyEvent.PoissonGaussian b
                    && a.sampleRate() == b.sampleRate() && a.noiseMultiplier() == b.noiseMultiplier()) {
                out.set(out.size() - 1, new PrivacyEvent.PoissonGaussian(a.sampleRate(), a.noiseMultiplier(),
                        a.count() + b.count()));
            } else if (last instanceof PrivacyEvent.Gaussian a && event instanceof PrivacyEvent.Gaussian b
                    && a.noiseMultiplier() == b.noiseMultiplier()) {
                out.set(out.size() - 1, new PrivacyEvent.Gaussian(a.noiseMultiplier(), a.count() + b.count()));
            } else {
                out.add(event);
            }
        }
        return out;
    }

    private static double number(Map<String, ?> map, String key) {
        if (!(map.get(key) instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, was " + map.get(key));
        }
        return n.doubleValue();
    }
}
