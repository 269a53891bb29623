package org.dplstm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rules the main sources of every module keep (ARCHITECTURE §6): files are replaced only by the
 * one atomic-write routine, and the run directory's file names are spelled only where they are
 * owned. A second copy of either drifts (five rename routines, two of them without fsync, is how
 * model.bin came to be written without one).
 */
class FileWritingRulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String WRITE_ROUTINE = "data/src/main/java/org/dplstm/data/files/AtomicFile.java";
    private static final String NAMES_OWNER = "audit/src/main/java/org/dplstm/audit/run/RunFiles.java";

    /** Calls that write or replace a whole file outside the routine. */
    private static final Pattern FILE_WRITE = Pattern.compile("\\bFiles\\.(move|createTempFile|write|writeString|"
            + "newOutputStream|newBufferedWriter|copy)\\(|ATOMIC_MOVE|new FileOutputStream\\(|new FileWriter\\(");
    /** A run directory's file name as a string literal. */
    private static final Pattern RUN_FILE_NAME = Pattern.compile("\"(audit\\.jsonl|audit\\.lock|run\\.json|"
            + "model_config\\.json|encoder\\.json|lm_encoder\\.json|vocabulary\\.json|tokenizer\\.json|"
            + "seq2seq_encoder\\.json|source_vocabulary\\.json|target_vocabulary\\.json|checkpoint\\.bin|model\\.bin|"
            + "report\\.json|privacy_audit\\.json|privacy_audit\\.png|epsilon\\.png)\"");

    private static List<Path> mainSources() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> ROOT.relativize(f).toString().matches("[a-z]+/src/main/java/.*")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> occurrences(Pattern pattern, String allowedFile) throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : mainSources()) {
            String relative = ROOT.relativize(file).toString().replace('\\', '/');
            if (relative.equals(allowedFile)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher matcher = pattern.matcher(lines.get(i));
                if (matcher.find()) {
                    found.add(relative + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        return found;
    }

    @Test
    void theSourcesAreFound() {
        assertThat(mainSources()).extracting(f -> ROOT.relativize(f).toString().replace('\\', '/'))
                .contains(WRITE_ROUTINE, NAMES_OWNER)
                .hasSizeGreaterThan(100);
    }

    @Test
    void everyFileIsWrittenByTheOneAtomicRoutine() throws IOException {
        assertThat(occurrences(FILE_WRITE, WRITE_ROUTINE)).as("file writes outside " + WRITE_ROUTINE).isEmpty();
    }

    @Test
    void runDirectoryFileNamesAreSpelledOnlyByTheirOwner() throws IOException {
        assertThat(occurrences(RUN_FILE_NAME, NAMES_OWNER)).as("run file names outside " + NAMES_OWNER).isEmpty();
    }
}
