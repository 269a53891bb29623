package org.dplstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * JSONL pair files for encoder-decoder CLI tests: a short English sentence from a tiny grammar
 * and its word-for-word "translation" (der Hund sieht den Ball.), with a user id; the same name
 * gives the same file.
 */
final class PairFiles {

    private static final String[][] SUBJECTS = {{"the cat", "die Katze"}, {"a dog", "ein Hund"}, {"my friend", "mein Freund"}};
    private static final String[][] VERBS = {{"sees", "sieht"}, {"likes", "mag"}, {"finds", "findet"}};
    private static final String[][] OBJECTS = {{"the sun.", "die Sonne."}, {"a ball.", "einen Ball."}, {"some tea.", "Tee."}};

    private PairFiles() {}

    /** {@code count} pairs in {@code dir/name} (fields source, target, user), drawn with the name as the seed. */
    static Path write(Path dir, String name, int count) throws IOException {
        Random random = new Random(name.hashCode());
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String[] subject = SUBJECTS[random.nextInt(3)];
            String[] verb = VERBS[random.nextInt(3)];
            String[] object = OBJECTS[random.nextInt(3)];
            Map<String, String> pair = new LinkedHashMap<>();
            pair.put("source", subject[0] + " " + verb[0] + " " + object[0]);
            pair.put("target", subject[1] + " " + verb[1] + " " + object[1]);
            pair.put("user", "u" + (i % 7));
            lines.add(json.writeValueAsString(pair));
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }
}
