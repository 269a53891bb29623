package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SanitizeCommandTest {
    @TempDir Path dir;
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.newCommandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void sanitizesCsvPassingOtherFieldsThroughAndWritesAReport() throws IOException {
        Path in = dir.resolve("tickets.csv");
        Files.writeString(in, "id,user,text,label\n"
                + "1,u1,\"Card 4111 1111 1111 1111, mail a.b+x@example.com\",billing\n"
                + "2,u1,\"Card 4111 1111 1111 1111, mail a.b+x@example.com\",billing\n"
                + "3,u2,\"v1.2.3 crashes, \"\"see\"\" logs\",technical\n");
        Path out = dir.resolve("clean.csv");
        Path report = dir.resolve("report.json");
        int code = run("sanitize", "--input", in.toString(), "--output", out.toString(), "--user-field", "user",
                "--label-field", "label", "--report", report.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(out)).isEqualTo("id,user,text,label\r\n"
                + "1,u1,\"Card [CARD], mail [EMAIL]\",billing\r\n"
                + "3,u2,\"v1.2.3 crashes, \"\"see\"\" logs\",technical\r\n");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("records_in").asInt()).isEqualTo(3);
        assertThat(json.get("records_out").asInt()).isEqualTo(2);
        assertThat(json.get("records_changed").asInt()).isEqualTo(1);
        assertThat(json.get("dropped").get("duplicate").asInt()).isEqualTo(1);
        assertThat(json.get("pii").get("CARD").asInt()).isEqualTo(2);
        assertThat(Files.readString(report)).doesNotContain("4111").doesNotContain("example.com");
        assertNoTemporaryFilesLeft();
    }

    @Test
    void jsonlFormatComesFromTheExtension() throws IOException {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, "{\"body\":\"ssn 078-05-1120\",\"n\":1}\n");
        Path out = dir.resolve("out.jsonl");
        assertThat(run("sanitize", "--input", in.toString(), "--output", out.toString(), "--text-field", "body")).isZero();
        assertThat(Files.readString(out)).isEqualTo("{\"body\":\"ssn [SSN]\",\"n\":1}\n");
    }

    @Test
    void badInputExitsWith2NamesFileAndLineAndLeavesTheOldOutputAlone() throws IOException {
        Path in = dir.resolve("in.csv");
        byte[] good = "text\nfine\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'b', 'a', 'd', (byte) 0xC3, '\n'};
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(in, all);
        Path out = dir.resolve("out.csv");
        Files.writeString(out, "previous result\n");
        int code = run("sanitize", "--input", in.toString(), "--output", out.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("dplstm: " + in + ":3: invalid UTF-8 at byte 4 of the line");
        assertThat(Files.readString(out)).isEqualTo("previous result\n");
        assertNoTemporaryFilesLeft();
        assertThat(run("sanitize", "--input", in.toString(), "--output", dir.resolve("new.csv").toString(),
                "--on-error", "skip")).isZero();
        assertThat(Files.readString(dir.resolve("new.csv"))).isEqualTo("text\r\nfine\r\n");
    }

    @Test
    void anOutputNamedForAnotherFormatExitsWith2AndWritesNothing() throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "text\nmail a@example.com\n");
        Path out = dir.resolve("clean.jsonl");
        assertThat(run("sanitize", "--input", in.toString(), "--output", out.toString())).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("dplstm: --output " + out + " names the jsonl format, but the output"
                + " is written as csv (the input's format): give it a .csv name");
        assertThat(out).doesNotExist();
        assertNoTemporaryFilesLeft();
        // a name that names no format is written in the input's
        Path plain = dir.resolve("clean.out");
        assertThat(run("sanitize", "--input", in.toString(), "--output", plain.toString())).isZero();
        assertThat(Files.readString(plain)).isEqualTo("text\r\nmail [EMAIL]\r\n");
    }

    @Test
    void maxPerUserNeedsAUserField() throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "text\nx\n");
        assertThat(run("sanitize", "--input", in.toString(), "--output", dir.resolve("o.csv").toString(),
                "--max-per-user", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--max-per-user needs --user-field");
        assertThat(dir.resolve("o.csv")).doesNotExist();
    }

    @Test
    void badOptionValuesExitWith2() throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "text\nx\n");
        String out = dir.resolve("o.csv").toString();
        assertThat(run("sanitize", "--input", in.toString(), "--output", out, "--dedup", "fuzzy")).isEqualTo(2);
        assertThat(err.toString()).contains("dedup must be one of exact, near, none, was fuzzy");
        assertThat(run("sanitize", "--input", in.toString(), "--output", out, "--text-field", "body")).isEqualTo(2);
        assertThat(err.toString()).contains(in + ":1: no text column 'body'");
        assertThat(run("sanitize", "--input", dir.resolve("missing.csv").toString(), "--output", out)).isEqualTo(2);
        assertThat(run("sanitize", "--input", in.toString(), "--output", in.toString())).isEqualTo(2);
        assertThat(Files.readString(in)).isEqualTo("text\nx\n");
    }

    @Test
    void piiTypesSelectDetectorsAndTheReportCountsTheNewTypes() throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "text\n\"Hi, this is Margaret Holloway, born 1961-04-09, of 12 Birch Lane. a@example.com\"\n");
        Path out = dir.resolve("out.csv");
        Path report = dir.resolve("report.json");
        assertThat(run("sanitize", "--input", in.toString(), "--output", out.toString(), "--report", report.toString()))
                .as(err.toString()).isZero();
        assertThat(Files.readString(out)).isEqualTo("text\r\n\"Hi, this is [PERSON], born [DATE], of [ADDRESS]. [EMAIL]\"\r\n");
        JsonNode pii = new ObjectMapper().readTree(report.toFile()).get("pii");
        assertThat(pii.get("PERSON").asInt()).isEqualTo(1);
        assertThat(pii.get("DATE").asInt()).isEqualTo(1);
        assertThat(pii.get("ADDRESS").asInt()).isEqualTo(1);
        Path some = dir.resolve("some.csv");
        assertThat(run("sanitize", "--input", in.toString(), "--output", some.toString(), "--pii-types", "Email,date"))
                .as(err.toString()).isZero();
        assertThat(Files.readString(some))
                .isEqualTo("text\r\n\"Hi, this is Margaret Holloway, born [DATE], of 12 Birch Lane. [EMAIL]\"\r\n");
    }

    @Test
    void anUnknownPiiTypeOrAnUnreadablePersonModelExitsWith2AndWritesNothing() throws IOException {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "text\nx\n");
        Path out = dir.resolve("o.csv");
        Path report = dir.resolve("r.json");
        assertThat(run("sanitize", "--input", in.toString(), "--output", out.toString(), "--report", report.toString(),
                "--pii-types", "email,names")).isEqualTo(2);
        assertThat(err.toString().trim()).isEqualTo("dplstm: pii types must be a comma-separated list of email, phone, "
                + "card, iban, ssn, ip, url, person, address, date (or all, or none), was email,names");
        Path model = Files.writeString(dir.resolve("model.bin"), "not a model");
        err.getBuffer().setLength(0);
        assertThat(run("sanitize", "--input", in.toString(), "--output", out.toString(), "--report", report.toString(),
                "--person-model", model.toString())).isEqualTo(2);
        assertThat(err.toString().trim()).startsWith("dplstm: person model " + model + " cannot be read: ");
        assertThat(err.toString().trim().lines()).hasSize(1);
        assertThat(out).doesNotExist();
        assertThat(report).doesNotExist();
        assertNoTemporaryFilesLeft();
    }

    private void assertNoTemporaryFilesLeft() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }
}
