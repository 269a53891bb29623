package org.dplstm.data.sanitize.person;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.dplstm.data.files.AtomicFile;

/**
 * Trains the person scorer: an averaged perceptron (Collins 2002) over the hashed features of
 * every capitalised word, labelled "inside a name" or not from the training records' spans.
 * Plain Java, a few seconds per epoch on a million words. Run by tools/pii/train_person_model.sh;
 * the training records come from tools/pii/make_person_training.py (public text and synthetic
 * sentences, never private data).
 *
 * <pre>
 * java -cp ... org.dplstm.data.sanitize.person.PersonModelTrainer --train person-train.jsonl \
 *     --first-names first.txt --last-names last.txt --common-words common.txt --proper-nouns proper.txt \
 *     [--german-nouns nouns.txt --german-words words.txt] --out person-model.bin
 * </pre>
 */
public final class PersonModelTrainer {
    private final int hashBits;
    private final int epochs;
    private final long seed;

    public PersonModelTrainer(int hashBits, int epochs, long seed) {
        if (hashBits < 8 || hashBits > 24) {
            throw new IllegalArgumentException("hash bits must be in [8, 24], was " + hashBits);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, was " + epochs);
        }
        this.hashBits = hashBits;
        this.epochs = epochs;
        this.seed = seed;
    }

    /** One training text and the [start, end) spans of the names in it. */
    public record Example(String text, List<int[]> names) {}

    /** Trains on {@code examples} with the given word lists and no German ones (features of version 1). */
    public PersonModel train(List<Example> examples, List<String> firstNames, List<String> lastNames,
            List<String> commonWords, List<String> properNouns, String description) {
        return train(examples, firstNames, lastNames, commonWords, properNouns, List.of(), List.of(), description);
    }

    /** Trains on {@code examples} with the given word lists; German nouns and words add the features of version 2. */
    public PersonModel train(List<Example> examples, List<String> firstNames, List<String> lastNames,
            List<String> commonWords, List<String> properNouns, List<String> germanNouns, List<String> germanWords,
            String description) {
        WordLists lists = new WordLists(new WordSet(firstNames), new WordSet(lastNames), new WordSet(commonWords),
                new WordSet(properNouns), new WordSet(germanNouns), new WordSet(germanWords));
        PersonFeatures features = new PersonFeatures(lists);
        List<int[]> rows = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        for (Example example : examples) {
            collect(example, features, rows, labels);
        }
        int size = 1 << hashBits;
        int mask = size - 1;
        double[] weights = new double[size];
        double[] accumulated = new double[size]; // sum over updates of (step counter x update), for averaging
        int[] order = new int[rows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        long step = 1;
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, random);
            int mistakes = 0;
            for (int i : order) {
                int[] row = rows.get(i);
                double score = 0;
                for (int h : row) {
                    score += weights[h & mask];
                }
                int y = labels.get(i) ? 1 : -1;
                if (y * score <= 0) {
                    mistakes++;
                    for (int h : row) {
                        weights[h & mask] += y;
                        accumulated[h & mask] += y * step;
                    }
                }
                step++;
            }
            System.err.printf(Locale.ROOT, "epoch %d: %d mistakes on %d words%n", epoch + 1, mistakes, rows.size());
        }
        float[] averaged = new float[size];
        for (int j = 0; j < size; j++) {
            averaged[j] = (float) (weights[j] - accumulated[j] / step);
        }
        return new PersonModel(description, hashBits, 0f, lists, averaged);
    }

    private static void collect(Example example, PersonFeatures features, List<int[]> rows, List<Boolean> labels) {
        NameTokens tokens = new NameTokens(example.text());
        int[] lists = new int[tokens.size];
        for (int t = 0; t < tokens.size; t++) {
            lists[t] = tokens.isCapitalised(t) ? features.lists(tokens, t) : -1;
        }
        int[] buffer = new int[PersonFeatures.MAX];
        for (int t = 0; t < tokens.size; t++) {
            if (lists[t] < 0) {
                continue;
            }
            int count = features.extract(tokens, t, lists, buffer);
            int[] row = new int[count];
            System.arraycopy(buffer, 0, row, 0, count);
            rows.add(row);
            labels.add(inside(example.names(), tokens.start[t], tokens.end[t]));
        }
    }

    private static boolean inside(List<int[]> spans, int start, int end) {
        for (int[] span : spans) {
            if (start >= span[0] && end <= span[1]) {
                return true;
            }
        }
        return false;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Reads JSONL records {"text": ..., "spans": [[start, end], ...]}. */
    public static List<Example> readExamples(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Example> examples = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                List<int[]> spans = new ArrayList<>();
                for (JsonNode span : node.path("spans")) {
                    spans.add(new int[] {span.get(0).asInt(), span.get(1).asInt()});
                }
                examples.add(new Example(node.get("text").asText(), spans));
            }
        }
        return examples;
    }

    private static List<String> readWords(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(w -> !w.isEmpty()).toList();
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --name value pairs, was " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : List.of("train", "first-names", "last-names", "common-words", "proper-nouns", "out")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        PersonModelTrainer trainer = new PersonModelTrainer(Integer.parseInt(options.getOrDefault("hash-bits", "18")),
                Integer.parseInt(options.getOrDefault("epochs", "10")), Long.parseLong(options.getOrDefault("seed", "1")));
        List<Example> examples = readExamples(Path.of(options.get("train")));
        PersonModel model = trainer.train(examples, readWords(Path.of(options.get("first-names"))),
                readWords(Path.of(options.get("last-names"))), readWords(Path.of(options.get("common-words"))),
                readWords(Path.of(options.get("proper-nouns"))),
                options.containsKey("german-nouns") ? readWords(Path.of(options.get("german-nouns"))) : List.of(),
                options.containsKey("german-words") ? readWords(Path.of(options.get("german-words"))) : List.of(),
                options.getOrDefault("description", "trained by PersonModelTrainer"));
        model = model.withThreshold(Float.parseFloat(options.getOrDefault("threshold", "0")));
        Path out = Path.of(options.get("out"));
        AtomicFile.write(out, model::write); // ARCHITECTURE §1: every file is replaced through AtomicFile
        System.err.printf(Locale.ROOT, "wrote %s (%d examples)%n", out, examples.size());
    }
}
