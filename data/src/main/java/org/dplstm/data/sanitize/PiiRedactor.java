package org.dplstm.data.sanitize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dplstm.data.sanitize.person.PersonModel;

/**
 * Finds personal data with validating detectors and replaces each span by its placeholder
 * ({@code [EMAIL]}, {@code [PHONE]}, ...). Detectors run as cheap scans for candidates (an
 * {@code @}, a {@code :}, a dot, a digit), and only candidates reach the validators. Where
 * detections overlap, the one that starts first wins (then the longer), so a phone number inside
 * a URL stays part of the URL. Thread-safe.
 */
public final class PiiRedactor {
    private final List<SpanFinder> finders = new ArrayList<>();
    private final Map<String, String> placeholders = new HashMap<>();

    public PiiRedactor(Set<PiiType> types, String phoneRegion, List<CustomDetector> customDetectors) {
        this(types, phoneRegion, customDetectors, null);
    }

    /** As above, with {@code personModel} for PERSON (null: the model shipped with dplstm). */
    public PiiRedactor(Set<PiiType> types, String phoneRegion, List<CustomDetector> customDetectors,
            PersonModel personModel) {
        Set<PiiType> enabled = types.isEmpty() ? EnumSet.noneOf(PiiType.class) : EnumSet.copyOf(types);
        PhoneNumbers phones = new PhoneNumbers(phoneRegion);
        if (enabled.contains(PiiType.EMAIL)) {
            finders.add(new EmailFinder());
            finders.add(new ObfuscatedEmailFinder());
        }
        if (enabled.contains(PiiType.URL)) {
            finders.add(new UrlFinder());
        }
        if (enabled.contains(PiiType.IP)) {
            finders.add(new Ipv6Finder());
        }
        if (enabled.contains(PiiType.IP) || enabled.contains(PiiType.SSN) || enabled.contains(PiiType.CARD)
                || enabled.contains(PiiType.PHONE) || enabled.contains(PiiType.IBAN)) {
            finders.add(new NumberFinder(enabled.contains(PiiType.IP), enabled.contains(PiiType.SSN),
                    enabled.contains(PiiType.CARD), enabled.contains(PiiType.PHONE), enabled.contains(PiiType.IBAN),
                    phones));
        }
        if (enabled.contains(PiiType.CARD) || enabled.contains(PiiType.PHONE)) {
            finders.add(new SpelledNumberFinder(enabled.contains(PiiType.CARD), enabled.contains(PiiType.PHONE), phones));
        }
        if (enabled.contains(PiiType.DATE)) {
            finders.add(new DateFinder());
        }
        if (enabled.contains(PiiType.ADDRESS)) {
            finders.add(new AddressFinder());
        }
        if (enabled.contains(PiiType.PERSON)) {
            finders.add(new PersonFinder(personModel != null ? personModel : PersonModel.bundled()));
        }
        for (PiiType type : PiiType.values()) {
            placeholders.put(type.name(), type.placeholder());
        }
        for (CustomDetector detector : customDetectors) {
            finders.add(detector.finder(phones));
            placeholders.put(detector.name(), detector.placeholder());
        }
    }

    /** All detectors on, phone numbers in national format read as US numbers. */
    public static PiiRedactor withAllDetectors() {
        return new PiiRedactor(EnumSet.allOf(PiiType.class), "US", List.of());
    }

    /**
     * The non-overlapping spans of personal data in {@code text}, in order. Overlapping finds join
     * into one span with the type of the one that starts first (the longest of those): privacy
     * favours redacting their union over leaving the part only one of them covers.
     */
    public List<PiiSpan> detect(String text) {
        List<PiiSpan> found = new ArrayList<>();
        for (SpanFinder finder : finders) {
            finder.find(text, found);
        }
        if (found.size() <= 1) {
            return found;
        }
        found.sort(Comparator.comparingInt(PiiSpan::start).thenComparing(Comparator.comparingInt(PiiSpan::length).reversed()));
        List<PiiSpan> kept = new ArrayList<>(found.size());
        for (PiiSpan span : found) {
            PiiSpan last = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            if (last == null || span.start() >= last.end()) {
                kept.add(span);
            } else if (span.end() > last.end()) {
                kept.set(kept.size() - 1, new PiiSpan(last.start(), span.end(), last.type()));
            }
        }
        return kept;
    }

    /** {@code text} with every detected span replaced, and the spans (positions in the input). */
    public Redaction redact(String text) {
        List<PiiSpan> spans = detect(text);
        if (spans.isEmpty()) {
            return new Redaction(text, spans);
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (PiiSpan span : spans) {
            out.append(text, copied, span.start()).append(placeholders.get(span.type()));
            copied = span.end();
        }
        out.append(text, copied, text.length());
        return new Redaction(out.toString(), spans);
    }

    /** The redacted text and what was removed (types and positions, never values). */
    public record Redaction(String text, List<PiiSpan> spans) {}
}
