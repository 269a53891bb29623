package org.dplstm.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.dplstm.data.io.TextRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportRepliesTest {

    @TempDir Path dir;

    @Test
    void everyReplyBelongsToItsTicketsFamilyAndTheTicketsAreUnchanged() {
        List<TextRecord> pairs = SupportReplies.generate(500, 7);
        List<TextRecord> tickets = SupportTickets.generate(500, 7);
        for (int i = 0; i < pairs.size(); i++) {
            TextRecord pair = pairs.get(i);
            assertThat(pair.text()).isEqualTo(tickets.get(i).text());
            assertThat(pair.label()).isEqualTo(tickets.get(i).label());
            String reply = (String) pair.fields().get(SupportReplies.REPLY_FIELD);
            assertThat(SupportReplies.familyOf(reply)).as(reply).contains(pair.label());
        }
        // varied wording: many distinct replies per class, and the same data for the same seed
        assertThat(pairs.stream().map(p -> p.fields().get(SupportReplies.REPLY_FIELD)).collect(Collectors.toSet()))
                .hasSizeGreaterThan(450);
        assertThat(SupportReplies.generate(500, 7)).isEqualTo(pairs);
    }

    @Test
    void familyOfNeedsExactlyOneSignatureWord() {
        assertThat(SupportReplies.familyOf("Hi, your REFUND is on its way.")).contains("refund");
        assertThat(SupportReplies.familyOf("The refunded amount")).isEqualTo(Optional.empty());
        assertThat(SupportReplies.familyOf("billing and refund")).isEqualTo(Optional.empty());
        assertThat(SupportReplies.familyOf("")).isEqualTo(Optional.empty());
    }

    @Test
    void writesJsonlWithTheReplyField() throws Exception {
        Path file = dir.resolve("pairs.jsonl");
        SupportReplies.writeJsonl(SupportReplies.generate(3, 1), file);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"id\":").contains("\"text\":").contains("\"reply\":");
    }
}
