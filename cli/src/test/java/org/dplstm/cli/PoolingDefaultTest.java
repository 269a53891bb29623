package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.training.model.Pooling;
import org.junit.jupiter.api.Test;

/**
 * A recurrent classifier's readout: the states' mean for words and for characters from the public
 * encoder by default, the last state for characters from random weights and the other tasks.
 */
class PoolingDefaultTest {

    private static Pooling poolingOf(String... args) {
        return ParsedTrainingOptions.settingsOf(args).shape().pooling();
    }

    @Test
    void wordClassifiersReadTheMeanByDefault() {
        assertThat(poolingOf("--train", "t.csv", "--epsilon", "3", "--model", "lstm")).isEqualTo(Pooling.MEAN);
        assertThat(poolingOf("--train", "t.csv", "--no-privacy", "--token-level", "word")).isEqualTo(Pooling.MEAN);
        assertThat(poolingOf("--train", "t.csv", "--epsilon", "3", "--pooling", "last")).isEqualTo(Pooling.LAST);
    }

    private static Pooling charPoolingWith(int perLabel, String... extra) {
        List<String> args = new ArrayList<>(List.of("--train", "t.csv", "--epsilon", "3", "--token-level", "char"));
        args.addAll(List.of(extra));
        return ParsedTrainingOptions.settingsFor(List.of("billing", "access"), perLabel, true, args.toArray(String[]::new))
                .shape().pooling();
    }

    @Test
    void charactersFromThePublicEncoderReadTheMeanWhereItsLstmIsTrained() {
        assertThat(charPoolingWith(500)).isEqualTo(Pooling.MEAN);
        // fewer records per label: the frozen encoder, read at its last state as it was trained
        assertThat(charPoolingWith(499)).isEqualTo(Pooling.LAST);
        assertThat(charPoolingWith(500, "--pooling", "last")).isEqualTo(Pooling.LAST);
        assertThat(charPoolingWith(499, "--pooling", "mean")).isEqualTo(Pooling.MEAN);
    }

    @Test
    void charactersFromRandomWeightsLanguageModelsAndEncoderDecodersReadTheLastState() {
        assertThat(poolingOf("--train", "t.csv", "--epsilon", "3", "--token-level", "char", "--init", "none"))
                .isEqualTo(Pooling.LAST);
        assertThat(poolingOf("--train", "t.txt", "--task", "lm", "--epsilon", "8")).isEqualTo(Pooling.LAST);
        assertThat(poolingOf("--train", "p.jsonl", "--task", "seq2seq", "--epsilon", "8")).isEqualTo(Pooling.LAST);
    }

    @Test
    void anExplicitMeanIsStillRefusedWhereItCannotApply() {
        assertThatThrownBy(() -> poolingOf("--train", "t.txt", "--task", "lm", "--epsilon", "8", "--pooling", "mean"))
                .hasMessageContaining("--pooling must be last for --task lm");
    }
}
