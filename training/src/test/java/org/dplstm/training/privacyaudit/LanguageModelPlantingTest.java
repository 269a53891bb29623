package org.dplstm.training.privacyaudit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.languagemodel.LanguageModelEncoder;
import org.dplstm.training.languagemodel.TokenLevel;
import org.junit.jupiter.api.Test;

/** Language-model planting: plain canary lines, random audit lines, every original line kept, the visibility check. */
class LanguageModelPlantingTest {

    private static List<TextRecord> lines(int count) {
        List<TextRecord> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add(TextRecord.of("quotes.txt", i + 1, "quote number " + i + " is short.", null, null));
        }
        return lines;
    }

    @Test
    void eachCanaryLineIsAddedRepeatsTimesAndEachIncludedAuditLineOnce() {
        List<TextRecord> train = lines(300);
        PrivacyAuditConfig config = PrivacyAuditConfig.builder().optCanaries(6).optRepeats(7).optSecretDigits(4)
                .optAuditExamples(150).build();
        PlantedData planted = new LanguageModelPrivacyAudit(config, AuditRandomness.seededForTesting(1))
                .plant(train, TokenLevel.CHAR);

        assertThat(planted.canaries()).hasSize(6).allMatch(c -> c.label() == null);
        for (Canary canary : planted.canaries()) {
            assertThat(canary.text()).isEqualTo(CanaryTemplate.withDigits(4).textFor(canary.secret()));
            assertThat(canary.text()).matches("my account pin is( (zero|one|two|three|four|five|six|seven|eight|nine)){4}");
            List<TextRecord> copies = planted.trainingRecords().stream().filter(r -> r.text().equals(canary.text())).toList();
            assertThat(copies).hasSize(7).allMatch(r -> r.label() == null);
            assertThat(copies.stream().map(TextRecord::user).distinct()).hasSize(1);
        }
        // Every original line stays (a language model's audit examples are added, not taken out).
        assertThat(planted.trainingRecords()).containsAll(train);
        long included = planted.includedAuditExamples();
        assertThat(planted.trainingRecords()).hasSize(300 + 6 * 7 + (int) included);
        // Inclusion is Binomial(150, 1/2): within 5.5 standard deviations.
        assertThat(included).isBetween(75 - 34L, 75 + 34L);

        Set<String> texts = new HashSet<>();
        for (AuditExample example : planted.auditExamples()) {
            String text = example.record().text();
            assertThat(text).matches("[a-z]{5}( [a-z]{5}){3}");
            assertThat(texts.add(text)).isTrue();
            long copies = planted.trainingRecords().stream().filter(r -> r.text().equals(text)).count();
            assertThat(copies).isEqualTo(example.included() ? 1 : 0);
        }
        assertThat(planted.auditExamples().stream().map(e -> e.record().user()).distinct()).hasSize(150);
    }

    @Test
    void numeralSecretsAreSingleDigitsWithLeadingZeros() {
        CanaryTemplate template = new CanaryTemplate("my secret number is", 4, CanaryTemplate.Spelling.NUMERALS);
        assertThat(template.textFor(42)).isEqualTo("my secret number is 0 0 4 2");
        assertThat(template.textFor(9_051)).isEqualTo("my secret number is 9 0 5 1");
    }

    @Test
    void wordLevelAuditLinesAreDigitWords() {
        PrivacyAuditConfig config = PrivacyAuditConfig.builder().optCanaries(2).optAuditExamples(20).build();
        PlantedData planted = new LanguageModelPrivacyAudit(config, AuditRandomness.seededForTesting(2))
                .plant(lines(40), TokenLevel.WORD);
        String digit = "(zero|one|two|three|four|five|six|seven|eight|nine)";
        assertThat(planted.auditExamples()).allMatch(e -> e.record().text().matches(digit + "( " + digit + "){11}"));
    }

    @Test
    void badPlansAreRejectedWithTheParameterAndItsRange() {
        assertThatThrownBy(() -> new LanguageModelPrivacyAudit(PrivacyAuditConfig.builder().optCanaryLabel("spam").build()))
                .hasMessage("canary label applies to classifiers only (a language model's canaries are plain text), was 'spam'");
        LanguageModelPrivacyAudit tooMany = new LanguageModelPrivacyAudit(PrivacyAuditConfig.builder().optAuditExamples(41).build());
        assertThatThrownBy(() -> tooMany.plant(lines(40), TokenLevel.CHAR))
                .hasMessage("audit examples must be <= the training lines (40), was 41");
        List<TextRecord> reserved = List.of(TextRecord.of("x", 1, "hello", null, "dplstm-privacy-audit-canary-0"));
        LanguageModelPrivacyAudit audit = new LanguageModelPrivacyAudit(PrivacyAuditConfig.builder().optAuditExamples(0).build());
        assertThatThrownBy(() -> audit.plant(reserved, TokenLevel.CHAR)).hasMessageStartingWith("user ids must not start with");
    }

    @Test
    void secretsTheModelCannotSeeWholeAreRejected() {
        LanguageModelPrivacyAudit audit = new LanguageModelPrivacyAudit(PrivacyAuditConfig.builder().optSecretDigits(4).build());
        // "my account pin is seven seven seven seven" has 41 characters: 30 cut it.
        assertThatThrownBy(() -> audit.checkSecretsVisible(LanguageModelEncoder.characters(30, true)))
                .hasMessageStartingWith("canary secrets must be visible to the model")
                .hasMessageEndingWith("is longer than --max-length 30 tokens");
        // A word list without "seven" makes that digit word unknown.
        List<String> words = new ArrayList<>(List.of("my", "account", "pin", "is"));
        for (String d : CanaryTemplate.DIGIT_WORDS) {
            if (!d.equals("seven")) {
                words.add(d);
            }
        }
        assertThatThrownBy(() -> audit.checkSecretsVisible(LanguageModelEncoder.words(words, 50, true)))
                .hasMessageEndingWith("the digit 'seven' is an unknown token");
        words.add("seven");
        audit.checkSecretsVisible(LanguageModelEncoder.words(words, 50, true));
        audit.checkSecretsVisible(LanguageModelEncoder.characters(41, true));

        // Numerals at character level: "my account pin is 7 7 7 7" has 25 characters, none redacted.
        LanguageModelPrivacyAudit numerals = new LanguageModelPrivacyAudit(PrivacyAuditConfig.builder().optSecretDigits(4)
                .optSecretSpelling(CanaryTemplate.Spelling.NUMERALS).build());
        numerals.checkSecretsVisible(LanguageModelEncoder.characters(25, true));
        assertThatThrownBy(() -> numerals.checkSecretsVisible(LanguageModelEncoder.characters(24, true)))
                .hasMessageEndingWith("is longer than --max-length 24 tokens");
        // A word list with the digit words but not the numerals.
        assertThatThrownBy(() -> numerals.checkSecretsVisible(LanguageModelEncoder.words(words, 50, true)))
                .hasMessageEndingWith("the digit '0' is an unknown token");
    }
}
