package org.dplstm.training.dpsgd;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dplstm.audit.log.PrivacyEventJson;
import org.dplstm.privacy.PrivacyEvent;

/**
 * An accountant's history as checkpoints and reports store it: consecutive equal steps merged,
 * each event in the audit module's JSON form ({@link PrivacyEventJson}), so the checkpoint, the
 * audit log, the ledger and report.json all read and write events one way.
 */
public final class PrivacyHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PrivacyHistory() {}

    /** Merged events as plain maps (for a Jackson-serialised header or report). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> toMaps(List<PrivacyEvent> events) {
        return JSON.convertValue(PrivacyEventJson.toJson(merged(events)), List.class);
    }

    /** Reads maps written by {@link #toMaps}; a bad event is an IllegalArgumentException naming the field. */
    public static List<PrivacyEvent> fromMaps(List<?> maps) {
        return PrivacyEventJson.listFromJson(JSON.valueToTree(maps));
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
}
