package org.dplstm.data.sanitize.person;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonModelTest {
    @TempDir Path dir;

    @Test
    void aFileThatIsNotAModelIsBadInputNamingTheFile() throws IOException {
        Path missing = dir.resolve("missing.bin");
        assertThatThrownBy(() -> PersonModel.load(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("person model " + missing + " cannot be read: no such file");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a model");
        assertThatThrownBy(() -> PersonModel.load(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("person model " + text + " cannot be read: not a dplstm person model");
        assertThatThrownBy(() -> PersonModel.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("person model " + dir + " cannot be read");
    }

    @Test
    void aTruncatedModelIsBadInput() throws IOException {
        byte[] whole = bytesOf(PersonModel.bundled());
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> PersonModel.load(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("person model " + truncated + " cannot be read");
    }

    @Test
    void aWrittenModelReadsBackAndTagsTheSame() throws IOException {
        Path file = dir.resolve("copy.bin");
        try (OutputStream out = Files.newOutputStream(file)) {
            PersonModel.bundled().write(out);
        }
        PersonModel copy = PersonModel.load(file);
        String text = "Thanks, Priyanka. Ask Mr. Abernathy and Jo Kowalczyk about the Debian package.";
        List<int[]> original = new ArrayList<>();
        List<int[]> reread = new ArrayList<>();
        new PersonTagger(PersonModel.bundled()).find(text, (s, e) -> original.add(new int[] {s, e}));
        new PersonTagger(copy).find(text, (s, e) -> reread.add(new int[] {s, e}));
        assertThat(reread).usingElementComparator(Arrays::compare).containsExactlyElementsOf(original);
        assertThat(copy.description()).isEqualTo(PersonModel.bundled().description());
    }

    /**
     * The trainer learns from context: trained on a few hundred sentences where invented names
     * follow "Dear" or precede "wrote", it tags a name that was never in its data or lists.
     */
    @Test
    void theTrainerLearnsNamesFromTheirContext() {
        Random random = new Random(3);
        List<PersonModelTrainer.Example> examples = new ArrayList<>();
        String[] fillers = {"The Parser handles input.", "Use the Config file.", "Open Settings first.",
            "The Kernel loads Modules.", "Read the Manual now."};
        for (int i = 0; i < 400; i++) {
            String name = invented(random);
            String text = (i % 2 == 0 ? "Dear " + name + ", " : name + " wrote: ") + fillers[i % fillers.length];
            int start = text.indexOf(name);
            examples.add(new PersonModelTrainer.Example(text, List.<int[]>of(new int[] {start, start + name.length()})));
        }
        PersonModel model = new PersonModelTrainer(12, 5, 1).train(examples, List.of(), List.of(),
                List.of("the", "use", "open", "read"), List.of(), "test");
        List<String> found = new ArrayList<>();
        String text = "Dear Quorvath, Use the Config file.";
        new PersonTagger(model).find(text, (s, e) -> found.add(text.substring(s, e)));
        assertThat(found).containsExactly("Quorvath");
    }

    private static String invented(Random random) {
        String consonants = "bdfgklmnprstvz";
        String vowels = "aeiou";
        StringBuilder name = new StringBuilder().append(Character.toUpperCase(consonants.charAt(random.nextInt(14))));
        for (int i = 0; i < 3; i++) {
            name.append(vowels.charAt(random.nextInt(5))).append(consonants.charAt(random.nextInt(14)));
        }
        return name.toString();
    }

    private static byte[] bytesOf(PersonModel model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        model.write(out);
        return out.toByteArray();
    }
}
