package org.dplstm.training.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dplstm.data.io.TextRecord;

/** Small templated three-topic text for end-to-end tests (with a little shared vocabulary). */
public final class TicketTexts {

    private static final String[][] TOPIC_WORDS = {
        {"invoice", "charged", "refund", "payment", "bill", "card", "price", "twice"},
        {"password", "login", "account", "locked", "reset", "sign", "email", "code"},
        {"package", "delivery", "shipped", "tracking", "arrived", "courier", "late", "box"},
    };
    private static final String[] LABELS = {"billing", "access", "shipping"};
    private static final String[] SHARED = {"please", "help", "my", "the", "is", "not", "i", "with", "today", "again"};

    private TicketTexts() {}

    /** The templates' words, a public word list (no text generated from it is needed to know it). */
    public static List<String> words() {
        List<String> words = new ArrayList<>(List.of(SHARED));
        for (String[] topic : TOPIC_WORDS) {
            words.addAll(List.of(topic));
        }
        return words;
    }

    /** The class labels, in class-id order. */
    public static List<String> labels() {
        return List.of(LABELS);
    }

    public static List<TextRecord> generate(int count, long seed) {
        Random random = new Random(seed);
        List<TextRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int topic = random.nextInt(LABELS.length);
            StringBuilder text = new StringBuilder();
            int length = 4 + random.nextInt(6);
            for (int t = 0; t < length; t++) {
                String[] words = random.nextDouble() < 0.5 ? TOPIC_WORDS[topic] : SHARED;
                text.append(t == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            records.add(TextRecord.of("tickets", i + 1, text.toString(), LABELS[topic], "u" + (i / 3)));
        }
        return records;
    }
}
