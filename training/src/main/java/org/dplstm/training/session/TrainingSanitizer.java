package org.dplstm.training.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.data.sanitize.Sanitizer;
import org.dplstm.data.sanitize.SanitizerConfig;

/**
 * The sanitization every text encoder applies before tokenizing (normalise, redact PII, with the
 * sanitizer's default settings), or none when it is switched off; and how the audit log names it.
 */
public final class TrainingSanitizer {

    private static final SanitizerConfig CONFIG = SanitizerConfig.defaults();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean enabled;
    private final Sanitizer sanitizer = new Sanitizer(CONFIG);

    public TrainingSanitizer(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** The text as it is tokenized: normalised and PII-redacted unless sanitization is off. */
    public String clean(String text) {
        return enabled ? sanitizer.clean(text) : text;
    }

    /** As {@link #clean}, counting what changed in {@code report} (counts only; nothing when off). */
    public String clean(String text, SanitizationReport report) {
        return report != null && enabled ? sanitizer.cleanCounted(text, report) : clean(text);
    }

    /**
     * What sanitization does here, as recorded in the audit log; deduplication and per-user caps
     * belong to {@code dplstm sanitize} and are not applied at training time.
     */
    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("enabled", enabled);
        if (enabled) {
            node.putArray("applied").add("normalize").add("redact_pii");
            node.set("settings", CONFIG.toJson());
        }
        return node;
    }
}
