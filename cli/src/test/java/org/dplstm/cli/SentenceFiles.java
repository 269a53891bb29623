package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Plain-text files for language-model CLI tests: short sentences from a tiny grammar ("the cat
 * sees the sun."), one a line; the same name (or seed) gives the same file.
 */
final class SentenceFiles {

    private static final String[] SUBJECTS = {"the cat", "a dog", "my friend"};
    private static final String[] VERBS = {"sees", "likes", "finds"};
    private static final String[] OBJECTS = {"the sun.", "a ball.", "some tea."};

    private SentenceFiles() {}

    /** {@code count} sentences in {@code dir/name}, drawn with the name as the seed. */
    static Path write(Path dir, String name, int count) throws IOException {
        return write(dir.resolve(name), new Random(name.hashCode()), count, false);
    }

    /** {@code count} sentences in {@code file}, drawn with {@code seed}. */
    static Path write(Path file, long seed, int count) throws IOException {
        return write(file, new Random(seed), count, false);
    }

    /** As {@link #write(Path, String, int)}, with an e-mail address on every fourth line for the sanitizer. */
    static Path withEmails(Path dir, String name, int count) throws IOException {
        return write(dir.resolve(name), new Random(name.hashCode()), count, true);
    }

    private static Path write(Path file, Random random, int count, boolean emails) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(SUBJECTS[random.nextInt(3)] + " " + VERBS[random.nextInt(3)] + " " + OBJECTS[random.nextInt(3)]
                    + (emails && i % 4 == 0 ? " mail jane.doe" + i + "@example.com" : ""));
        }
        Files.write(file, lines);
        return file;
    }
}
