package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dplstm.training.classifier.ClassifierTokenLevel;
import org.dplstm.training.model.FrozenPart;
import org.dplstm.training.model.Pooling;
import org.junit.jupiter.api.Test;

/**
 * A recurrent classifier whose labels all name languages defaults to characters from the public
 * language-ID encoder, training its LSTM and head on the states' mean, or with few records per label
 * its head only on the last state; options that ask for words or other sizes keep the word level.
 * With few records per language label that recurrent model is also the default model; otherwise the
 * default model is the n-gram one (ModelDefaultTest), so the other cases ask for {@code --model lstm}.
 */
class LanguageLabelDefaultTest {

    private static final List<String> LANGUAGES = List.of("de", "en", "ru", "zh_CN");
    private static final String ENCODER = "multilingual-char";

    /** The recurrent model's settings (--model lstm) with 600 records per label. */
    private static TrainingJob.Settings settings(List<String> labels, String... extra) {
        String[] recurrent = new String[extra.length + 2];
        System.arraycopy(new String[] {"--model", "lstm"}, 0, recurrent, 0, 2);
        System.arraycopy(extra, 0, recurrent, 2, extra.length);
        return settingsWhere(labels, 600, true, recurrent);
    }

    private static TrainingJob.Settings settingsWhere(List<String> labels, int perLabel, boolean stepsRunHere,
            String... extra) {
        String[] args = new String[extra.length + 4];
        System.arraycopy(new String[] {"--train", "t.csv", "--epsilon", "3"}, 0, args, 0, 4);
        System.arraycopy(extra, 0, args, 4, extra.length);
        return ParsedTrainingOptions.settingsFor(labels, perLabel, stepsRunHere, args);
    }

    private static void assertWords(TrainingJob.Settings settings) {
        assertThat(settings.techniques().tokenLevel()).isEqualTo(ClassifierTokenLevel.WORD);
        assertThat(settings.techniques().publicEncoder()).isNull();
        assertThat(settings.techniques().notes()).noneMatch(note -> note.contains("language identification"));
    }

    @Test
    void withManyRecordsPerLabelTheEncodersLstmIsTrainedOnTheMean() {
        TrainingJob.Settings settings = settings(LANGUAGES);
        assertThat(settings.techniques().tokenLevel()).isEqualTo(ClassifierTokenLevel.CHAR);
        assertThat(settings.techniques().publicEncoder()).isEqualTo(ENCODER);
        assertThat(settings.config().freeze()).isEqualTo(FrozenPart.EMBEDDING);
        assertThat(settings.shape().pooling()).isEqualTo(Pooling.MEAN);
        assertThat(settings.techniques().notes()).containsExactly("the labels name languages (language identification):"
                + " characters from the public encoder multilingual-char (trained to tell languages apart);"
                + " --token-level word for words");
        // without --model, 600 records per label: the n-gram model
        assertThat(settingsWhere(LANGUAGES, 600, true).techniques().tokenLevel()).isEqualTo(ClassifierTokenLevel.NGRAM);
        // an explicit --pooling or --freeze is kept within the same start
        TrainingJob.Settings last = settings(LANGUAGES, "--pooling", "last");
        assertThat(last.techniques().publicEncoder()).isEqualTo(ENCODER);
        assertThat(last.shape().pooling()).isEqualTo(Pooling.LAST);
        assertThat(settings(LANGUAGES, "--freeze", "encoder").config().freeze()).isEqualTo(FrozenPart.ENCODER);
    }

    @Test
    void withFewRecordsPerLabelOnlyTheHeadIsTrainedOnTheLastState() {
        TrainingJob.Settings few = settingsWhere(LANGUAGES, 499, true);
        assertThat(few.techniques().publicEncoder()).isEqualTo(ENCODER);
        assertThat(few.config().freeze()).isEqualTo(FrozenPart.ENCODER);
        assertThat(few.shape().pooling()).isEqualTo(Pooling.LAST);
        assertThat(few.techniques().notes()).contains("1996 training records for 4 labels (fewer than 500 per label):"
                + " only the output layer is trained (--freeze encoder)");
        assertThat(few.techniques().notes().get(0)).startsWith("the recurrent classifier (fewer than 500 training"
                + " records per language label");
        assertThat(settingsWhere(LANGUAGES, 500, true, "--model", "lstm").config().freeze()).isEqualTo(FrozenPart.EMBEDDING);
        // explicit choices win over the size
        TrainingJob.Settings explicit = settingsWhere(LANGUAGES, 100, true, "--freeze", "embedding");
        assertThat(explicit.config().freeze()).isEqualTo(FrozenPart.EMBEDDING);
        assertThat(explicit.shape().pooling()).isEqualTo(Pooling.MEAN);
        assertThat(explicit.techniques().notes()).noneMatch(note -> note.contains("--freeze encoder"));
    }

    @Test
    void underUserLevelPrivacyTheUsersPerLabelDecide() {
        // 600 records per label from 100 users each: one user can add many records, so the records
        // per label would let one user move the choice; the users per label cannot by more than one
        String[] userLevel = {"--train", "t.csv", "--epsilon", "3", "--privacy-unit", "user", "--user-field", "user"};
        TrainingJob.Settings users = ParsedTrainingOptions.settingsFor(LANGUAGES, 600, 100, true, userLevel);
        assertThat(users.config().freeze()).isEqualTo(FrozenPart.ENCODER);
        assertThat(users.techniques().notes()).contains("400 training users for 4 labels (fewer than 500 per label):"
                + " only the output layer is trained (--freeze encoder)");
        String[] userLevelRecurrent = {"--train", "t.csv", "--epsilon", "3", "--privacy-unit", "user", "--user-field",
            "user", "--model", "lstm"};
        assertThat(ParsedTrainingOptions.settingsFor(LANGUAGES, 600, 500, true, userLevelRecurrent).config().freeze())
                .isEqualTo(FrozenPart.EMBEDDING);
        // the same records at example level count as records
        assertThat(ParsedTrainingOptions.settingsFor(LANGUAGES, 600, 100, true, "--train", "t.csv", "--epsilon", "3",
                "--model", "lstm").config().freeze()).isEqualTo(FrozenPart.EMBEDDING);
    }

    @Test
    void otherLabelsAndBeforeTheDataIsReadKeepWords() {
        assertWords(settings(List.of("billing", "access")));
        assertWords(ParsedTrainingOptions.settingsOf("--train", "t.csv", "--epsilon", "3"));
        assertThat(settings(List.of("billing", "access")).shape().pooling()).isEqualTo(Pooling.MEAN);
        assertThat(settingsWhere(List.of("billing", "access"), 600, true).techniques().tokenLevel())
                .isEqualTo(ClassifierTokenLevel.NGRAM);
    }

    @Test
    void optionsThatAskForSomethingElseKeepTheirChoice() {
        assertWords(settings(LANGUAGES, "--token-level", "word"));
        assertWords(settings(LANGUAGES, "--init", "none"));
        assertWords(settings(LANGUAGES, "--vocab", "dp"));
        assertWords(settings(LANGUAGES, "--vocab-size", "4096"));
        assertWords(settings(LANGUAGES, "--hidden", "64"));
        assertWords(settings(LANGUAGES, "--max-length", "64"));
        assertWords(settings(LANGUAGES, "--cell", "gru"));
        assertWords(settings(LANGUAGES, "--layers", "2"));
        // a cluster's tasks train every parameter: the frozen recipe does not apply there
        assertWords(settingsWhere(LANGUAGES, 600, false));
        TrainingJob.Settings subwords = settings(LANGUAGES, "--token-level", "subword", "--tokenizer", "tok.json");
        assertThat(subwords.techniques().tokenLevel()).isEqualTo(ClassifierTokenLevel.SUBWORD);
        assertThat(subwords.techniques().publicEncoder()).isNull();
    }
}
