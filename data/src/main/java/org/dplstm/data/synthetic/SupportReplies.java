package org.dplstm.data.synthetic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.Sanitizer;
import org.dplstm.data.sanitize.SanitizerConfig;
import org.dplstm.data.tokenize.WordTokenizer;

/**
 * Agent replies to the synthetic support tickets ({@link SupportTickets}), so the demo data can
 * serve a reply model (ticket → reply). Each class has its own family of reply templates with
 * varied wording (greeting, four phrasings of the class's answer, closing) and fake details
 * (case and order numbers, amounts, delivery days, agent names); the customer's own personal
 * data never appears in a reply. Every reply of a family contains the family's signature word and
 * no other family's ({@link #SIGNATURES}), so {@link #familyOf} tells which family a generated
 * reply belongs to. Deterministic for a seed, and drawn from a random stream of its own: the
 * tickets are exactly those of {@link SupportTickets#generate} for the same seed.
 */
public final class SupportReplies {

    /** The field a ticket's reply is written to. */
    public static final String REPLY_FIELD = "reply";
    public static final List<String> FIELDS = List.of("id", "user", "label", "text", REPLY_FIELD);
    /** The one word that marks each class's reply family (lower case). */
    public static final Map<String, String> SIGNATURES = Map.of(
            "billing", "billing", "shipping", "shipment", "account", "login", "technical", "engineers",
            "refund", "refund");

    private static final Map<String, List<String>> ANSWERS = Map.of(
            "billing", List.of(
                    "I checked the billing records for case %CASE% and corrected the invoice.",
                    "our billing team reviewed the charge of %AMOUNT% and fixed your invoice.",
                    "the billing system showed a duplicate charge, which I have now removed.",
                    "I have adjusted the billing on your plan; the next invoice will be %AMOUNT%."),
            "shipping", List.of(
                    "I contacted the carrier and your shipment of order %ORDER% will arrive in %DAYS% days.",
                    "your shipment was delayed at the depot and is on its way again.",
                    "I have sent a replacement shipment to your current address today.",
                    "the carrier confirmed a new delivery date for the shipment: within %DAYS% days."),
            "account", List.of(
                    "I have reset your login, and you can set a new password from the link we sent.",
                    "your login was locked for safety; it is unlocked now under case %CASE%.",
                    "I updated the login details on file, so the codes should work again.",
                    "to protect your login we need one more confirmation from the address on file."),
            "technical", List.of(
                    "our engineers found the bug and a fix ships in version %VERSION%.",
                    "I passed case %CASE% to our engineers, who are working on the error.",
                    "our engineers suggest clearing the app cache and updating to version %VERSION%.",
                    "the engineers restored the service, so uploads and sync work again."),
            "refund", List.of(
                    "I have issued a refund of %AMOUNT% to your original payment method.",
                    "your refund of %AMOUNT% was approved and will show within %DAYS% business days.",
                    "I processed the refund for order %ORDER%; you will get an email receipt.",
                    "the refund went through today under case %CASE%, for the full %AMOUNT%."));
    private static final List<String> GREETINGS = List.of("Hi,", "Hello,", "Dear customer,", "Thanks for writing,",
            "Hi there,");
    private static final List<String> OPENERS = List.of("Sorry for the trouble:", "Thank you for your patience:",
            "Good news:", "Thanks for the details:", "");
    private static final List<String> CLOSINGS = List.of("Best regards, %AGENT%", "Kind regards, %AGENT%",
            "Let us know if anything else comes up. %AGENT%", "Have a good day! %AGENT%", "%AGENT% from support");
    /** Tickets and seed of {@link #publicWords()}: enough for every template word to appear. */
    private static final int WORD_LIST_TICKETS = 5000;
    private static final long WORD_LIST_SEED = 1;
    private static final List<String> AGENTS = List.of("Maya", "Tom", "Priya", "Lukas", "Sofia", "Omar", "Jin", "Nora");

    private SupportReplies() {}

    /**
     * {@code count} tickets (those of {@link SupportTickets#generate}{@code (count, seed)}), each
     * with its reply in the {@value #REPLY_FIELD} field.
     */
    public static List<TextRecord> generate(int count, long seed) {
        // a stream of its own: the tickets' stream (and so the tickets) stays as it was
        Random random = new Random(seed ^ 0x5EEDL * 31);
        List<TextRecord> pairs = new ArrayList<>(count);
        for (TextRecord ticket : SupportTickets.generate(count, seed)) {
            Map<String, Object> fields = new LinkedHashMap<>(ticket.fields());
            fields.put(REPLY_FIELD, replyTo(ticket.label(), random));
            pairs.add(new TextRecord(ticket.source(), ticket.line(), ticket.text(), ticket.label(), ticket.user(), fields));
        }
        return pairs;
    }

    /** A reply of {@code label}'s family with random wording and details. */
    public static String replyTo(String label, Random random) {
        List<String> answers = ANSWERS.get(label);
        if (answers == null) {
            throw new IllegalArgumentException("label must be one of " + SupportTickets.LABELS + ", was " + label);
        }
        String opener = pick(OPENERS, random);
        String answer = pick(answers, random);
        String sentence = opener.isEmpty() ? Character.toUpperCase(answer.charAt(0)) + answer.substring(1)
                : opener + " " + answer;
        String reply = pick(GREETINGS, random) + " " + sentence + " " + pick(CLOSINGS, random);
        return reply.replace("%CASE%", String.valueOf(10000 + random.nextInt(90000)))
                .replace("%ORDER%", "#" + (100000 + random.nextInt(900000)))
                .replace("%AMOUNT%", "$" + (5 + random.nextInt(200)) + "." + (10 + random.nextInt(90)))
                .replace("%DAYS%", (2 + random.nextInt(5)) + " to " + (7 + random.nextInt(4)))
                .replace("%VERSION%", (1 + random.nextInt(5)) + "." + random.nextInt(10) + "." + random.nextInt(20))
                .replace("%AGENT%", pick(AGENTS, random));
    }

    /**
     * The words of the generator's templates, lower-cased as {@link WordTokenizer} splits them, from
     * sanitized tickets and replies of a seed of their own (never the data a model trains on): a
     * public word list for word-level reply models. Tokens with digits (order numbers, amounts)
     * are left out; the redaction placeholders are in.
     */
    public static List<String> publicWords() {
        Sanitizer sanitizer = new Sanitizer(SanitizerConfig.defaults());
        WordTokenizer tokenizer = new WordTokenizer(true);
        java.util.SortedSet<String> words = new java.util.TreeSet<>();
        for (TextRecord pair : generate(WORD_LIST_TICKETS, WORD_LIST_SEED)) {
            for (String text : List.of(pair.text(), (String) pair.fields().get(REPLY_FIELD))) {
                tokenizer.tokens(sanitizer.clean(text)).stream().filter(t -> t.chars().noneMatch(Character::isDigit))
                        .forEach(words::add);
            }
        }
        return List.copyOf(words);
    }

    /**
     * The class whose reply family a text belongs to: the one class whose signature word it holds
     * (as a word, any case); empty when it holds none or several.
     */
    public static Optional<String> familyOf(String reply) {
        String lower = " " + reply.toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", " ") + " ";
        List<String> found = SIGNATURES.entrySet().stream().filter(e -> lower.contains(" " + e.getValue() + " "))
                .map(Map.Entry::getKey).toList();
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    private static <T> T pick(List<T> options, Random random) {
        return options.get(random.nextInt(options.size()));
    }

    /** Writes ticket-reply pairs as JSONL (fields {@link #FIELDS}), atomically. */
    public static void writeJsonl(List<TextRecord> pairs, Path file) throws IOException {
        SupportTickets.write(pairs, file, RecordFormat.JSONL, FIELDS);
    }
}
