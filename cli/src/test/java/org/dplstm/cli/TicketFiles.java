package org.dplstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tiny labelled JSONL files for CLI tests: two-word tickets whose words tell the label apart (labels
 * alternate between a billing and an access vocabulary), users u0..u39; the same name gives the
 * same file.
 */
final class TicketFiles {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] WORDS = {{"refund", "charged", "invoice", "payment"},
            {"password", "login", "locked", "reset"}};

    private TicketFiles() {}

    static Path jsonl(Path dir, String name, int count, String... labels) throws IOException {
        Random random = new Random(name.hashCode());
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(labels.length);
            String text = WORDS[label % 2][random.nextInt(4)] + " please " + WORDS[label % 2][random.nextInt(4)];
            lines.add(JSON.writeValueAsString(Map.of("text", text, "label", labels[label], "user", "u" + i % 40)));
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }
}
