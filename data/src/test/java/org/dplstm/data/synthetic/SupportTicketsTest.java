package org.dplstm.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.dplstm.data.dataset.LabeledTextDataset;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.PiiRedactor;
import org.dplstm.data.sanitize.PiiSpan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportTicketsTest {
    @TempDir Path dir;

    @Test
    void sameSeedSameTicketsDifferentSeedDifferentTickets() {
        assertThat(SupportTickets.generate(200, 5)).isEqualTo(SupportTickets.generate(200, 5));
        assertThat(SupportTickets.generate(200, 5)).isNotEqualTo(SupportTickets.generate(200, 6));
    }

    @Test
    void ticketsCoverEveryClassEveryPiiTypeAndSkewedUsers() {
        List<TextRecord> tickets = SupportTickets.generate(3000, 1);
        assertThat(tickets.stream().map(TextRecord::label).collect(Collectors.toSet()))
                .isEqualTo(Set.copyOf(SupportTickets.LABELS));
        PiiRedactor redactor = PiiRedactor.withAllDetectors();
        Set<String> types = tickets.stream().flatMap(t -> redactor.detect(t.text()).stream())
                .map(PiiSpan::type).collect(Collectors.toSet());
        assertThat(types).containsExactlyInAnyOrder("EMAIL", "PHONE", "CARD", "IBAN", "SSN", "IP", "URL", "PERSON",
                "ADDRESS", "DATE");
        Map<String, Integer> perUser = new HashMap<>();
        tickets.forEach(t -> perUser.merge(t.user(), 1, Integer::sum));
        int max = perUser.values().stream().max(Integer::compare).orElseThrow();
        assertThat(max).isGreaterThan(10 * 3000 / perUser.size()); // the busiest user far above the mean
    }

    @Test
    void trainAndValidFilesLoadBackWithDisjointUsers() throws IOException {
        SupportTickets.Split split = SupportTickets.writeTrainValid(dir, 1000, 0.2, 3);
        ReadOptions options = ReadOptions.builder().optLabelField("label").optUserField("user").build();
        LabeledTextDataset train = LabeledTextDataset.load(split.train(), null, options);
        LabeledTextDataset valid = LabeledTextDataset.load(split.valid(), null, options);
        assertThat(train.size() + valid.size()).isEqualTo(1000);
        assertThat(valid.size()).isBetween(50, 400);
        assertThat(train.labels()).isEqualTo(SupportTickets.LABELS.stream().sorted().toList());
        Set<String> trainUsers = train.records().stream().map(TextRecord::user).collect(Collectors.toSet());
        assertThat(valid.records()).noneMatch(r -> trainUsers.contains(r.user()));
        assertThat(train.records().get(0).text()).isEqualTo(SupportTickets.generate(1000, 3).stream()
                .filter(t -> trainUsers.contains(t.user())).findFirst().orElseThrow().text());
    }

    @Test
    void generatedCheckDigitsMatchPublishedExamples() {
        // Wikipedia's IBAN example DE89 3704 0044 0532 0130 00 and the Luhn example 7992739871(3).
        assertThat(FakePii.withCheckDigits("DE", "370400440532013000")).isEqualTo("DE89370400440532013000");
        assertThat(FakePii.luhnCheckDigit("7992739871")).isEqualTo(3);
    }
}
