package org.dplstm.training.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.data.vocab.HashingVocabulary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextEncoderTest {

    private static final HashingVocabulary VOCABULARY = new HashingVocabulary(4096);
    private static final List<String> LABELS = List.of("a", "b");

    @Test
    void newWordEncodersReadHanCharactersAndKanaWordsAsTokens(@TempDir Path dir) throws Exception {
        TextEncoder encoder = new TextEncoder(VOCABULARY, LABELS, 64, false);
        int[] expected = VOCABULARY.ids(List.of("提", "供", "给", "ip", "子", "网", "の", "テキスト"));
        assertThat(encoder.encode("提供给IP子网のテキスト")).containsExactly(expected);

        encoder.save(dir);
        assertThat(Files.readString(dir.resolve(RunFiles.ENCODER))).contains("\"word-lowercase-han-kana\"");
        assertThat(TextEncoder.load(dir).encode("提供给IP子网のテキスト")).containsExactly(expected);
    }

    @Test
    void aRunSavedBeforeTheSplitKeepsReadingARunOfHanAndKanaAsOneWord(@TempDir Path dir) throws Exception {
        new TextEncoder(VOCABULARY, LABELS, 64, false).save(dir);
        Path encoderJson = dir.resolve(RunFiles.ENCODER);
        // what an older build wrote: the same file with the tokenizer it had
        Files.writeString(encoderJson, Files.readString(encoderJson).replace("word-lowercase-han-kana", "word-lowercase"));

        assertThat(TextEncoder.load(dir).encode("提供给IP子网のテキスト"))
                .containsExactly(VOCABULARY.ids(List.of("提供给ip子网のテキスト")));
    }
}
