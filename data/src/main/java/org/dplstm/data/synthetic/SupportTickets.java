package org.dplstm.data.synthetic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.RecordWriter;
import org.dplstm.data.io.TextRecord;

/**
 * A deterministic synthetic data set of customer support tickets: five classes ({@link #LABELS}),
 * sentences built from per-class templates and shared filler (learnable, not trivially: classes
 * share words such as "order", "account", "charge"), fake personal data of every type embedded in
 * about half the tickets, and user ids with a skewed number of tickets per user. Fields, in order:
 * {@code id}, {@code user}, {@code label}, {@code text}. The built-in data of {@code dplstm demo}.
 */
public final class SupportTickets {
    public static final List<String> LABELS = List.of("billing", "shipping", "account", "technical", "refund");
    public static final List<String> FIELDS = List.of("id", "user", "label", "text");

    private static final Map<String, List<String>> PROBLEMS = Map.of(
            "billing", List.of(
                    "I was charged twice for my subscription this month",
                    "my invoice shows a fee I do not recognise",
                    "the monthly charge went up without any notice",
                    "my payment was declined although the card is fine",
                    "the invoice total does not match my plan",
                    "I was billed after I cancelled the plan"),
            "shipping", List.of(
                    "my package has not arrived and tracking has not moved for a week",
                    "the courier says the parcel was delivered but nothing came",
                    "my order shipped to my old address",
                    "the delivery date keeps moving back",
                    "the box arrived damaged and one item is missing",
                    "tracking shows the order stuck at the depot"),
            "account", List.of(
                    "I cannot log in since I changed my password",
                    "the password reset email never arrives",
                    "my account was locked after too many attempts",
                    "I want to change the email address on my account",
                    "two-factor codes are not accepted when I sign in",
                    "I need to close my account and delete my data"),
            "technical", List.of(
                    "the app crashes as soon as I open the settings page",
                    "the export button gives an error about a timeout",
                    "sync stopped working after the latest update",
                    "the page loads forever and then shows a blank screen",
                    "uploads fail with an unknown server error",
                    "notifications stopped working on my phone"),
            "refund", List.of(
                    "I returned the order two weeks ago and still have no refund",
                    "I would like my money back for the broken item",
                    "the refund went to a card I no longer have",
                    "you promised a refund but the charge is still there",
                    "please refund the shipping cost for the late order",
                    "I cancelled within the trial and want a full refund"));

    private static final List<String> OPENINGS = List.of("Hi,", "Hello team,", "Good morning,", "Hey,", "Dear support,", "",
            "Hi there,", "To whom it may concern,");
    private static final List<String> FILLERS = List.of(
            "This is the second time I am writing about it.",
            "I have been a customer for years.",
            "Order number #%ORDER% if that helps.",
            "It happened again on %DATE%.",
            "Could you look into this today?",
            "I already tried the steps in the help article.",
            "My account is under the same name as this ticket.",
            "Version %VERSION% of the app, if that matters.",
            "The total was %PRICE%.",
            "");
    private static final List<String> CLOSINGS = List.of("Thanks.", "Thank you!", "Regards, %NAME%", "Cheers", "Best, %NAME%",
            "Please help.", "");
    private static final List<String> NAMES = List.of("Anna", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro");

    private static final List<Function<FakePii, String>> PII_SENTENCES = List.of(
            f -> "You can reach me at " + f.email() + ".",
            f -> "Call me back on " + f.phone() + " please.",
            f -> "The card on file is " + f.card() + ".",
            f -> "My IBAN is " + f.iban() + " for the transfer.",
            f -> "For verification my SSN is " + f.ssn() + ".",
            f -> "I was connecting from " + f.ip() + " when it happened.",
            f -> "The link I used was " + f.url() + " by the way.",
            f -> "Please send the replacement to " + f.address() + ".",
            f -> "For the record, my date of birth is " + f.birthDate() + ".");

    private SupportTickets() {}

    /** {@code count} tickets, the same for the same seed. */
    public static List<TextRecord> generate(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        Random random = new Random(seed);
        FakePii fake = new FakePii(random);
        int users = Math.max(1, count / 4);
        List<TextRecord> tickets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String label = LABELS.get(random.nextInt(LABELS.size()));
            // Zipf-like skew: user u is picked with probability roughly proportional to 1/(u+1).
            int user = (int) Math.floor(Math.pow(users + 1, random.nextDouble())) - 1;
            String text = ticketText(label, random, fake);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("id", "T" + (100000 + i));
            fields.put("user", "user" + user);
            fields.put("label", label);
            fields.put("text", text);
            tickets.add(new TextRecord("support-tickets", i + 2, text, label, "user" + user, fields));
        }
        return tickets;
    }

    private static String ticketText(String label, Random random, FakePii fake) {
        List<String> parts = new ArrayList<>();
        parts.add(pick(OPENINGS, random));
        List<String> problems = PROBLEMS.get(label);
        String problem = pick(problems, random);
        parts.add(Character.toUpperCase(problem.charAt(0)) + problem.substring(1) + ".");
        if (random.nextInt(3) == 0) {
            String other = pick(problems, random);
            parts.add("Also " + other + ".");
        }
        parts.add(pick(FILLERS, random));
        if (random.nextBoolean()) {
            parts.add(pick(PII_SENTENCES, random).apply(fake));
        }
        parts.add(pick(CLOSINGS, random));
        String text = String.join(" ", parts).replaceAll(" +", " ").trim();
        return text.replace("%ORDER%", String.valueOf(100000 + random.nextInt(900000)))
                .replace("%DATE%", (1 + random.nextInt(28)) + " " + pick(List.of("March", "April", "May", "June"), random))
                .replace("%VERSION%", (1 + random.nextInt(5)) + "." + random.nextInt(10) + "." + random.nextInt(20))
                .replace("%PRICE%", "$" + (5 + random.nextInt(200)) + "." + (10 + random.nextInt(90)))
                .replace("%NAME%", pick(NAMES, random));
    }

    private static <T> T pick(List<T> options, Random random) {
        return options.get(random.nextInt(options.size()));
    }

    /** Writes tickets as CSV (header {@code id,user,label,text}), atomically. */
    public static void writeCsv(List<TextRecord> tickets, Path file) throws IOException {
        write(tickets, file, RecordFormat.CSV, FIELDS);
    }

    /** Writes records with the given fields in {@code format}, atomically. */
    static void write(List<TextRecord> records, Path file, RecordFormat format, List<String> fields) throws IOException {
        AtomicFile.write(file, stream -> {
            try (RecordWriter writer = RecordWriter.create(stream, format, fields, "text")) {
                for (TextRecord record : records) {
                    writer.write(record);
                }
            }
        });
    }

    /** The files written by {@link #writeTrainValid}. */
    public record Split(Path train, Path valid) {}

    /**
     * Generates {@code count} tickets and writes {@code train.csv} and {@code valid.csv} into
     * {@code folder}: every user's tickets go to the same file, about {@code validFraction} of
     * users to the validation file.
     */
    public static Split writeTrainValid(Path folder, int count, double validFraction, long seed) throws IOException {
        if (!(validFraction > 0 && validFraction < 1)) {
            throw new IllegalArgumentException("valid fraction must be in (0, 1), was " + validFraction);
        }
        List<TextRecord> train = new ArrayList<>();
        List<TextRecord> valid = new ArrayList<>();
        for (TextRecord ticket : generate(count, seed)) {
            // A stable per-user coin, so no user is in both files.
            double coin = (ticket.user().hashCode() * 0x9E3779B9L & 0xffffffL) / (double) 0x1000000;
            (coin < validFraction ? valid : train).add(ticket);
        }
        Split split = new Split(folder.resolve("train.csv"), folder.resolve("valid.csv"));
        writeCsv(train, split.train());
        writeCsv(valid, split.valid());
        return split;
    }
}
