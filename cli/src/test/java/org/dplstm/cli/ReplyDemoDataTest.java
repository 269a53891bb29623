package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dplstm.data.synthetic.SupportReplies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --write-data}: the reply demo's pairs as files, split by user, never overwriting. */
class ReplyDemoDataTest {

    @TempDir Path dir;

    @Test
    void writesTicketReplyPairsSplitByUserAndRefusesToOverwrite() throws Exception {
        CliRunner.Result written = CliRunner.run("demo", "--write-data", dir.toString());
        assertThat(written.exitCode()).as(written.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<String> train = Files.readAllLines(dir.resolve(ReplyDemo.TRAIN_FILE));
        List<String> valid = Files.readAllLines(dir.resolve(ReplyDemo.VALID_FILE));
        // every held-out user's ticket is out of training; the first HELD_OUT of them are validated
        assertThat(valid).hasSize(ReplyDemo.HELD_OUT);
        assertThat(train.size()).isBetween(ReplyDemo.TICKETS / 2, ReplyDemo.TICKETS - ReplyDemo.HELD_OUT);
        assertThat(Files.readAllLines(dir.resolve(ReplyDemo.WORDS_FILE))).contains("refund", "shipment", "[EMAIL]")
                .noneMatch(word -> word.matches(".*[0-9].*"));
        Set<String> trainUsers = new HashSet<>();
        for (String line : train) {
            JsonNode pair = json.readTree(line);
            trainUsers.add(pair.get("user").asText());
            assertThat(SupportReplies.familyOf(pair.get("reply").asText())).contains(pair.get("label").asText());
        }
        for (String line : valid) {
            assertThat(trainUsers).doesNotContain(json.readTree(line).get("user").asText());
        }
        byte[] before = Files.readAllBytes(dir.resolve(ReplyDemo.TRAIN_FILE));
        CliRunner.Result again = CliRunner.run("demo", "--write-data", dir.toString());
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("must not overwrite an existing file");
        assertThat(Files.readAllBytes(dir.resolve(ReplyDemo.TRAIN_FILE))).isEqualTo(before);
    }

    /** An existing path that cannot be the folder (a file, a path through one, a dangling link) is bad input, as a file in it is. */
    @Test
    void aFileInTheWayIsBadInputAndNothingIsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("afile"), "mine");
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("missing"));
        for (Path target : List.of(file, file.resolve("sub"), link)) {
            CliRunner.Result refused = CliRunner.run("demo", "--write-data", target.toString());
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err().lines().filter(l -> l.startsWith("dplstm:")).toList()).as(refused.err())
                    .singleElement().asString().contains("--write-data").contains(target.toString());
        }
        assertThat(Files.readString(file)).isEqualTo("mine");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("afile", "link");
        }
    }
}
