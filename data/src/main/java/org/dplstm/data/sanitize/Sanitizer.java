package org.dplstm.data.sanitize;

import java.io.IOException;
import java.util.function.LongConsumer;
import org.dplstm.data.io.ReadProblem;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.RecordWriter;
import org.dplstm.data.io.TextRecord;

/**
 * The sanitization pipeline of ARCHITECTURE §5, in order: normalise, redact personal data, drop
 * duplicates, bound each user's contribution. Without a per-user cap records stream straight
 * through; with one, each user's kept records wait in a reservoir until the input ends.
 */
public final class Sanitizer {
    /** Drop reasons in the report. */
    public static final String DROPPED_EMPTY = "empty_text";
    public static final String DROPPED_DUPLICATE = "duplicate";
    public static final String DROPPED_NEAR_DUPLICATE = "near_duplicate";
    public static final String DROPPED_USER_CAP = "user_cap";

    private final SanitizerConfig config;
    private final TextNormalizer normalizer;
    private final PiiRedactor redactor;

    public Sanitizer(SanitizerConfig config) {
        this.config = config;
        this.normalizer = new TextNormalizer(config.maxChars());
        this.redactor = new PiiRedactor(config.piiTypes(), config.phoneRegion(), config.customDetectors(),
                config.personModel());
    }

    /** Normalises and redacts one text (no dedup, no bounding). */
    public String clean(String text) {
        return clean(text, null);
    }

    /**
     * Normalises and redacts one text as {@link #clean(String)} does, counting it in {@code report}
     * (one record in and out, changed or not, and its redacted spans per type; never a value). An
     * empty result is counted as dropped ({@value #DROPPED_EMPTY}) instead of out when the config
     * drops empty texts: the caller then drops the record, as {@link #run} does.
     */
    public String cleanCounted(String text, SanitizationReport report) {
        report.countIn();
        String cleaned = clean(text, report);
        if (config.dropEmpty() && cleaned.isEmpty()) {
            report.countDropped(DROPPED_EMPTY, 1);
        } else {
            report.countOut(!cleaned.equals(text));
        }
        return cleaned;
    }

    private String clean(String text, SanitizationReport report) {
        String normalized = config.normalize() ? normalizer.normalize(text) : capped(text);
        PiiRedactor.Redaction redaction = redactor.redact(normalized);
        if (report != null) {
            redaction.spans().forEach(span -> report.countPii(span.type()));
        }
        return redaction.text();
    }

    private String capped(String text) {
        if (text.length() <= config.maxChars()) {
            return text;
        }
        int end = config.maxChars();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /**
     * Sanitizes every record of {@code in} into {@code out}.
     *
     * @param bytesRead called now and then with the input bytes consumed (for a progress bar)
     */
    public SanitizationReport run(RecordReader in, RecordWriter out, LongConsumer bytesRead) throws IOException {
        SanitizationReport report = new SanitizationReport();
        ExactDeduplicator exact = config.dedup() == DedupMode.EXACT ? new ExactDeduplicator() : null;
        MinHashDeduplicator near = config.dedup() == DedupMode.NEAR
                ? new MinHashDeduplicator(config.nearDuplicateThreshold()) : null;
        ContributionBounder<Cleaned> bounder = config.maxRecordsPerUser().isPresent()
                ? ContributionBounder.create(config.maxRecordsPerUser().getAsInt()) : null;
        long order = 0;
        TextRecord record;
        while ((record = in.next()) != null) {
            report.countIn();
            if ((order & 1023) == 0) {
                bytesRead.accept(in.bytesRead());
            }
            String text = clean(record.text(), report);
            if (config.dropEmpty() && text.isEmpty()) {
                report.countDropped(DROPPED_EMPTY, 1);
                continue;
            }
            if (exact != null && !exact.firstSeen(text)) {
                report.countDropped(DROPPED_DUPLICATE, 1);
                continue;
            }
            if (near != null && !near.firstSeen(text)) {
                report.countDropped(DROPPED_NEAR_DUPLICATE, 1);
                continue;
            }
            TextRecord cleaned = record.withText(text);
            if (bounder != null) {
                if (record.user() == null) {
                    throw new IllegalArgumentException("max records per user needs a user field; record "
                            + record.location() + " has none");
                }
                bounder.offer(record.user(), order++, new Cleaned(cleaned, !text.equals(record.text())));
            } else {
                order++;
                out.write(cleaned);
                report.countOut(!text.equals(record.text()));
            }
        }
        bytesRead.accept(in.bytesRead());
        if (bounder != null) {
            report.countDropped(DROPPED_USER_CAP, bounder.dropped());
            for (Cleaned kept : bounder.kept()) {
                out.write(kept.record());
                report.countOut(kept.changed());
            }
        }
        for (ReadProblem problem : ReadProblem.values()) {
            long skipped = in.skipped().count(problem);
            report.countDropped(problem.id(), skipped);
            report.countIn(skipped);
        }
        out.flush();
        return report;
    }

    /** A sanitized record waiting in a user's reservoir, and whether its text changed. */
    private record Cleaned(TextRecord record, boolean changed) {}
}
