package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The weights' moving average: on by default for language models, off for classifiers and seq2seq, {@code --ema 0} turns it off. */
class EmaDefaultTest {

    private static OptionalDouble emaOf(String... args) {
        return ParsedTrainingOptions.settingsOf(args).config().emaDecay();
    }

    @Test
    void languageModelsAverageByDefault() {
        assertThat(emaOf("--train", "t.txt", "--task", "lm", "--epsilon", "8")).hasValue(0.99);
        assertThat(emaOf("--train", "t.txt", "--task", "lm", "--no-privacy")).hasValue(0.99);
    }

    @Test
    void classifiersAndEncoderDecodersDoNotAverageByDefault() {
        assertThat(emaOf("--train", "t.csv", "--epsilon", "3")).isEmpty();
        assertThat(emaOf("--train", "p.jsonl", "--task", "seq2seq", "--no-privacy")).isEmpty();
        assertThat(emaOf("--train", "t.csv", "--epsilon", "3", "--ema", "0.9")).hasValue(0.9);
    }

    @Test
    void zeroTurnsTheDefaultOff() {
        assertThat(emaOf("--train", "t.txt", "--task", "lm", "--epsilon", "8", "--ema", "0")).isEmpty();
        assertThat(emaOf("--train", "p.jsonl", "--task", "seq2seq", "--epsilon", "8", "--ema", "0.95")).hasValue(0.95);
    }
}
