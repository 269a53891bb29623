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

    /**
     * A model without German lists is written in format 1 with the features of version 1 (what
     * models before the German lists were), one with them in format 2; both read back and tag the same.
     */
    @Test
    void theFormatFollowsTheLists() throws IOException {
        List<PersonModelTrainer.Example> examples = List.of(
                new PersonModelTrainer.Example("Dear Quorvath, the Manual is ready.", List.<int[]>of(new int[] {5, 13})));
        PersonModelTrainer trainer = new PersonModelTrainer(10, 2, 1);
        PersonModel plain = trainer.train(examples, List.of(), List.of(), List.of("the"), List.of(), "plain");
        PersonModel german = trainer.train(examples, List.of(), List.of(), List.of("the"), List.of(), List.of("handbuch"),
                List.of("schnell"), "german");
        for (PersonModel model : List.of(plain, german)) {
            byte[] bytes = bytesOf(model);
            java.io.DataInputStream in = new java.io.DataInputStream(
                    new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes)));
            in.readInt();
            int expected = model == plain ? 1 : 2;
            assertThat(in.readInt()).as("format").isEqualTo(expected);
            assertThat(in.readInt()).as("features").isEqualTo(expected);
            Path file = Files.write(dir.resolve(model.description() + ".bin"), bytes);
            PersonModel copy = PersonModel.load(file);
            String text = "Dear Zalvorin, Schnelle Hilfe im Handbuch.";
            List<int[]> original = new ArrayList<>();
            List<int[]> reread = new ArrayList<>();
            new PersonTagger(model).find(text, (st, e) -> original.add(new int[] {st, e}));
            new PersonTagger(copy).find(text, (st, e) -> reread.add(new int[] {st, e}));
            assertThat(reread).usingElementComparator(Arrays::compare).containsExactlyElementsOf(original);
        }
    }

    /** The German bits: a listed noun, a compound or inflected form ending in a listed word, another German word. */
    @Test
    void germanNounsCompoundsAndWordsAreMarked() {
        WordSet none = new WordSet(List.of());
        PersonFeatures features = new PersonFeatures(new WordLists(none, none, none, none,
                new WordSet(List.of("Datei", "Dateien", "Skript", "Bibliothek")), new WordSet(List.of("spiel", "schnelle"))));
        String text = "Datei Bibliotheksdateien Echtzeit-Strategiespiel Skripte Schnelle Dat Xdatei Quorvath Ab-Spiel";
        NameTokens tokens = new NameTokens(text);
        int[] bits = new int[tokens.size];
        for (int t = 0; t < tokens.size; t++) {
            bits[t] = features.lists(tokens, t);
        }
        assertThat(bits).containsExactly(PersonFeatures.GERMAN_NOUN, PersonFeatures.GERMAN_COMPOUND,
                PersonFeatures.GERMAN_COMPOUND, PersonFeatures.GERMAN_COMPOUND, PersonFeatures.GERMAN_WORD,
                0, // too short to be a listed word's end
                0, // "datei" after a single letter is no compound (nor after two: "Maelle" and "Elle")
                0, PersonFeatures.GERMAN_COMPOUND);
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
