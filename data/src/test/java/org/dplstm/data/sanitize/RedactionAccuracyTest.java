package org.dplstm.data.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.dplstm.data.synthetic.FakePii;
import org.junit.jupiter.api.Test;

/**
 * The accuracy targets on realistic sentences: recall >= 99% for every type, and PII-free
 * numbers (dates, prices, versions, order numbers, ISBNs, numbers failing their checksum) kept
 * >= 99% of the time.
 */
class RedactionAccuracyTest {
    private static final int SENTENCES_PER_TYPE = 1500;
    private static final List<String> TEMPLATES = List.of(
            "Hi, please reach me at %s if anything changes.",
            "My details: %s.",
            "I tried again yesterday (%s) but it still fails",
            "Customer wrote: \"use %s for the refund\", then hung up.",
            "%s is what I gave the agent on 12 March.",
            "Contact: %s; order #48213 ships tomorrow",
            "Can you update my record to %s, thanks!",
            "ref %s - urgent",
            "Sent from %s\nRegards, Ana");

    /** The number-shaped types and their neighbours; names, dates and addresses have their own tests. */
    private final PiiRedactor redactor = new PiiRedactor(EnumSet.of(PiiType.EMAIL, PiiType.PHONE, PiiType.CARD,
            PiiType.IBAN, PiiType.SSN, PiiType.IP, PiiType.URL), "US", List.of());

    @Test
    void recallIsAtLeast99PercentForEveryType() {
        FakePii fake = new FakePii(new Random(20240601));
        assertRecall(PiiType.EMAIL, fake::email);
        assertRecall(PiiType.PHONE, fake::phone);
        assertRecall(PiiType.CARD, fake::card);
        assertRecall(PiiType.IBAN, fake::iban);
        assertRecall(PiiType.SSN, fake::ssn);
        assertRecall(PiiType.IP, fake::ip);
        assertRecall(PiiType.URL, fake::url);
    }

    @Test
    void piiFreeNumbersSurviveAtLeast99Percent() {
        FakePii fake = new FakePii(new Random(7));
        Random random = new Random(8);
        int survived = 0;
        int total = 4000;
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String value = fake.piiFreeNumber();
            String sentence = String.format(TEMPLATES.get(random.nextInt(TEMPLATES.size())), value);
            String redacted = redactor.redact(sentence).text();
            if (redacted.contains(value) && redacted.equals(sentence)) {
                survived++;
            } else if (lost.size() < 10) {
                lost.add(sentence + "  ->  " + redacted);
            }
        }
        System.out.printf("survival of PII-free numbers: %.4f%n", survived / (double) total);
        assertThat(survived / (double) total).as("survival; first losses: %s", lost).isGreaterThanOrEqualTo(0.99);
    }

    private void assertRecall(PiiType type, Supplier<String> values) {
        Random random = new Random(type.ordinal());
        int found = 0;
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < SENTENCES_PER_TYPE; i++) {
            String value = values.get();
            String sentence = String.format(TEMPLATES.get(random.nextInt(TEMPLATES.size())), value);
            String redacted = redactor.redact(sentence).text();
            if (!redacted.contains(value) && redacted.contains(type.placeholder())) {
                found++;
            } else if (missed.size() < 10) {
                missed.add(value + "  ->  " + redacted);
            }
        }
        System.out.printf("recall of %s: %.4f%n", type, found / (double) SENTENCES_PER_TYPE);
        assertThat(found / (double) SENTENCES_PER_TYPE).as("recall of %s; first misses: %s", type, missed)
                .isGreaterThanOrEqualTo(0.99);
    }
}
