package org.dplstm.data.sanitize.person;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The person detector's model: its {@link WordLists} and the weights of a linear scorer over hashed {@link PersonFeatures}, trained by {@link
 * PersonModelTrainer}. Stored as one gzip'd file: a magic number, the format and feature
 * versions, the hash size, the decision threshold, a one-line description, the lists, and the
 * non-zero weights. Format 1 (features 1) holds four lists, format 2 (features 2) six, the German
 * ones added; both are read, and a model is written in the format of the lists it has. The model
 * shipped with dplstm is {@link #bundled()}; its card is docs/person-model.md. Immutable and thread-safe.
 */
public final class PersonModel {
    private static final int MAGIC = 0x44504E4D; // "DPNM"
    /** The newest format: 2, German lists and features ({@link PersonFeatures#VERSION}); 1 has neither. */
    private static final int FORMAT = 2;
    private static final String RESOURCE = "person-model.bin";

    private final String description;
    private final int hashBits;
    private final float threshold;
    private final WordLists lists;
    private final float[] weights;

    PersonModel(String description, int hashBits, float threshold, WordLists lists, float[] weights) {
        if (weights.length != 1 << hashBits) {
            throw new IllegalArgumentException("weights must have 2^" + hashBits + " entries, had " + weights.length);
        }
        this.description = description;
        this.hashBits = hashBits;
        this.threshold = threshold;
        this.lists = lists;
        this.weights = weights;
    }

    /** The model shipped in dplstm's jar (loaded once). */
    public static PersonModel bundled() {
        return Bundled.MODEL;
    }

    private static final class Bundled {
        static final PersonModel MODEL = loadBundled();

        private static PersonModel loadBundled() {
            try (InputStream in = PersonModel.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled person model " + RESOURCE + " is missing from the class path");
                }
                return read(in, RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException("the bundled person model cannot be read", e);
            }
        }
    }

    /**
     * Reads a model file written by {@link #write}. Any file that is missing, unreadable or not
     * such a model is bad input: {@link IllegalArgumentException} naming the file and the reason.
     */
    public static PersonModel load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("person model " + file + " cannot be read: no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("person model " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static PersonModel read(InputStream raw, String name) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("person model " + name + " cannot be read: not a dplstm person model");
            }
            int format = in.readInt();
            int features = in.readInt();
            if ((format != 1 || features != 1) && (format != FORMAT || features != PersonFeatures.VERSION)) {
                throw new IllegalArgumentException("person model " + name + " cannot be read: format " + format
                        + " with features " + features + ", this dplstm reads format 1 with features 1 and format " + FORMAT
                        + " with features " + PersonFeatures.VERSION + " (retrain it with tools/pii/train_person_model.sh)");
            }
            int hashBits = in.readInt();
            if (hashBits < 8 || hashBits > 24) {
                throw new IllegalArgumentException("person model " + name + " cannot be read: hash bits must be in [8, 24], was "
                        + hashBits);
            }
            float threshold = in.readFloat();
            String description = in.readUTF();
            WordLists common = new WordLists(new WordSet(readWords(in)), new WordSet(readWords(in)),
                    new WordSet(readWords(in)), new WordSet(readWords(in)));
            WordLists lists = format == 1 ? common : new WordLists(common.firstNames(), common.lastNames(),
                    common.commonWords(), common.properNouns(), new WordSet(readWords(in)), new WordSet(readWords(in)));
            float[] weights = new float[1 << hashBits];
            int nonZero = in.readInt();
            for (int i = 0; i < nonZero; i++) {
                int index = in.readInt();
                if (index < 0 || index >= weights.length) {
                    throw new IllegalArgumentException("person model " + name + " cannot be read: weight index " + index
                            + " outside [0, " + weights.length + ")");
                }
                weights[index] = in.readFloat();
            }
            return new PersonModel(description, hashBits, threshold, lists, weights);
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException("person model " + name + " cannot be read: not a dplstm person model"
                    + " or truncated (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static List<String> readWords(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 10_000_000) {
            throw new EOFException("word count " + count);
        }
        List<String> words = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            words.add(in.readUTF());
        }
        return words;
    }

    /** Writes the model (the caller owns the stream). */
    public void write(OutputStream raw) throws IOException {
        GZIPOutputStream zip = new GZIPOutputStream(raw, 1 << 16);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
        boolean german = lists.hasGerman(); // without German lists the features are those of version 1
        out.writeInt(MAGIC);
        out.writeInt(german ? FORMAT : 1);
        out.writeInt(german ? PersonFeatures.VERSION : 1);
        out.writeInt(hashBits);
        out.writeFloat(threshold);
        out.writeUTF(description);
        for (WordSet set : lists.all()) {
            out.writeInt(set.size());
            for (String word : set.words()) {
                out.writeUTF(word);
            }
        }
        int nonZero = 0;
        for (float w : weights) {
            nonZero += w != 0 ? 1 : 0;
        }
        out.writeInt(nonZero);
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0) {
                out.writeInt(i);
                out.writeFloat(weights[i]);
            }
        }
        out.flush();
        zip.finish();
    }

    /** What the file says about itself (training data, date). */
    public String description() {
        return description;
    }

    float threshold() {
        return threshold;
    }

    PersonFeatures features() {
        return new PersonFeatures(lists);
    }

    /** The scorer's output for the features in {@code hashed[0, count)}. */
    float score(int[] hashed, int count) {
        int mask = weights.length - 1;
        float sum = 0;
        for (int i = 0; i < count; i++) {
            sum += weights[hashed[i] & mask];
        }
        return sum;
    }

    /** A copy with another decision threshold (for measuring recall against wrong redactions). */
    public PersonModel withThreshold(float newThreshold) {
        return new PersonModel(description, hashBits, newThreshold, lists, weights);
    }
}
