package org.dplstm.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordReadersTest {
    @TempDir Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<TextRecord> readAll(RecordReader reader) throws IOException {
        List<TextRecord> records = new ArrayList<>();
        try (reader) {
            TextRecord record;
            while ((record = reader.next()) != null) {
                records.add(record);
            }
        }
        return records;
    }

    private static ReadOptions options(OnError onError) {
        return ReadOptions.builder().optLabelField("label").optUserField("user").optOnError(onError).build();
    }

    @Test
    void csvFollowsRfc4180QuotingAndReportsStartLines() throws IOException {
        Path csv = write("in.csv", "id,text,label,user\r\n1,\"Hello, \"\"world\"\"\",a,u1\r\n2,\"two\nlines\",b,u2\r\n3,plain,c,u3\r\n");
        List<TextRecord> records = readAll(RecordReader.open(csv, RecordFormat.CSV, options(OnError.FAIL)));
        assertThat(records).extracting(TextRecord::text).containsExactly("Hello, \"world\"", "two\nlines", "plain");
        assertThat(records).extracting(TextRecord::line).containsExactly(2L, 3L, 5L);
        assertThat(records.get(1).label()).isEqualTo("b");
        assertThat(records.get(1).user()).isEqualTo("u2");
        assertThat(records.get(0).fields().keySet()).containsExactly("id", "text", "label", "user");
    }

    @Test
    void invalidUtf8IsReportedWithFileAndLine() throws IOException {
        byte[] bad = "text,label,user\nok,a,u\nbad \u00e9,a,u\nok2,a,u\n".getBytes(StandardCharsets.UTF_8);
        // Replace the two bytes of "é" (C3 A9) with a lone continuation byte and a stray byte.
        String s = new String(bad, StandardCharsets.ISO_8859_1).replace("\u00c3\u00a9", "\u00a9\u00ff");
        Path csv = write("bad.csv", s.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> readAll(RecordReader.open(csv, RecordFormat.CSV, options(OnError.FAIL))))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage(csv + ":3: invalid UTF-8 at byte 5 of the line");
        RecordReader skipping = RecordReader.open(csv, RecordFormat.CSV, options(OnError.SKIP));
        List<TextRecord> records = new ArrayList<>();
        TextRecord r;
        while ((r = skipping.next()) != null) {
            records.add(r);
        }
        assertThat(records).extracting(TextRecord::text).containsExactly("ok", "ok2");
        assertThat(skipping.skipped().count(ReadProblem.INVALID_UTF8)).isEqualTo(1);
    }

    @Test
    void missingColumnInHeaderAlwaysFails() throws IOException {
        Path csv = write("in.csv", "body,label\nx,a\n");
        assertThatThrownBy(() -> RecordReader.open(csv, RecordFormat.CSV, ReadOptions.builder().optOnError(OnError.SKIP).build()))
                .hasMessage(csv + ":1: no text column 'text' in the header (columns: body, label)");
    }

    @Test
    void shortRowIsAMissingFieldAndOverlongLineIsTooLong() throws IOException {
        Path csv = write("in.csv", "text,label,user\nfine,a,u\nshort,a\n" + "x".repeat(200) + ",a,u\nlast,b,u\n");
        ReadOptions skip = ReadOptions.builder().optLabelField("label").optUserField("user")
                .optOnError(OnError.SKIP).optMaxRecordBytes(100).build();
        RecordReader reader = RecordReader.open(csv, RecordFormat.CSV, skip);
        List<String> texts = new ArrayList<>();
        TextRecord r;
        while ((r = reader.next()) != null) {
            texts.add(r.text());
        }
        assertThat(texts).containsExactly("fine", "last");
        assertThat(reader.skipped().count(ReadProblem.MISSING_FIELD)).isEqualTo(1);
        assertThat(reader.skipped().count(ReadProblem.TOO_LONG)).isEqualTo(1);
        ReadOptions fail = ReadOptions.builder().optLabelField("label").optUserField("user").optMaxRecordBytes(100).build();
        assertThatThrownBy(() -> readAll(RecordReader.open(csv, RecordFormat.CSV, fail)))
                .hasMessage(csv + ":3: missing field 'user' (record has 2 fields, header has 3)");
    }

    @Test
    void jsonlKeepsEveryFieldAndReportsMissingOnes() throws IOException {
        Path jsonl = write("in.jsonl", "{\"id\":7,\"text\":\"hi\",\"label\":\"a\",\"user\":\"u\",\"meta\":{\"k\":[1,2]}}\n\n{\"label\":\"b\",\"user\":\"u\"}\n");
        assertThatThrownBy(() -> readAll(RecordReader.open(jsonl, RecordFormat.JSONL, options(OnError.FAIL))))
                .hasMessage(jsonl + ":3: missing field 'text'");
        RecordReader reader = RecordReader.open(jsonl, RecordFormat.JSONL, options(OnError.SKIP));
        List<TextRecord> records = readAll(reader);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).fields().keySet()).containsExactly("id", "text", "label", "user", "meta");
        assertThat(((JsonNode) records.get(0).fields().get("meta")).toString()).isEqualTo("{\"k\":[1,2]}");
    }

    @Test
    void jsonlWriterPassesFieldsThroughWithTheirTypes() throws IOException {
        Path jsonl = write("in.jsonl", "{\"id\":7,\"text\":\"hi\",\"ok\":true,\"meta\":{\"k\":[1,2]}}\n");
        List<TextRecord> records = readAll(RecordReader.open(jsonl, RecordFormat.JSONL, ReadOptions.defaults()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RecordWriter writer = RecordWriter.create(out, RecordFormat.JSONL, List.of(), "text")) {
            writer.write(records.get(0).withText("bye"));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"id\":7,\"text\":\"bye\",\"ok\":true,\"meta\":{\"k\":[1,2]}}\n");
    }

    @Test
    void textFolderLabelsBySubfolderOrReadsLines() throws IOException {
        Files.createDirectories(dir.resolve("corpus/billing"));
        Files.createDirectories(dir.resolve("corpus/shipping"));
        Files.writeString(dir.resolve("corpus/billing/1.txt"), "charged twice\nplease fix");
        Files.writeString(dir.resolve("corpus/shipping/1.txt"), "late parcel\n\nstill late");
        List<TextRecord> docs = readAll(new TextFolderReader(dir.resolve("corpus"),
                TextFolderReader.Layout.FILE_PER_DOCUMENT, ReadOptions.defaults()));
        assertThat(docs).extracting(TextRecord::label).containsExactly("billing", "shipping");
        assertThat(docs.get(0).text()).isEqualTo("charged twice\nplease fix");
        List<TextRecord> lines = readAll(new TextFolderReader(dir.resolve("corpus"),
                TextFolderReader.Layout.LINE_PER_DOCUMENT, ReadOptions.defaults()));
        assertThat(lines).extracting(TextRecord::text).containsExactly("charged twice", "please fix", "late parcel", "still late");
        assertThat(lines.get(3).line()).isEqualTo(3);
    }

    @Test
    void linePerDocumentReadsOnePlainTextFileUnlabelled() throws IOException {
        Path file = dir.resolve("quotes.txt");
        Files.writeString(file, "to be or not\n\n  \nthat is it\n");
        List<TextRecord> lines = readAll(new TextFolderReader(file, TextFolderReader.Layout.LINE_PER_DOCUMENT,
                ReadOptions.defaults()));
        assertThat(lines).extracting(TextRecord::text).containsExactly("to be or not", "that is it");
        assertThat(lines).extracting(TextRecord::line).containsExactly(1L, 4L);
        assertThat(lines.get(0).label()).isNull();
        assertThat(lines.get(1).location()).isEqualTo(file + ":4");
    }

    @Test
    void readerStreamsA60MegabyteFileIn24MegabytesOfHeap() throws Exception {
        // A real bound, not a heap-usage guess: a child JVM with -Xmx24m must read the whole file.
        Path big = dir.resolve("big.jsonl");
        String line = "{\"text\":\"" + "lorem ipsum ".repeat(30) + "\",\"label\":\"a\"}\n";
        long lines = 60_000_000L / line.length();
        try (var out = Files.newBufferedWriter(big)) {
            for (long i = 0; i < lines; i++) {
                out.write(line);
            }
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx24m", "-cp", System.getProperty("java.class.path"), StreamingProbe.class.getName(), big.toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(child.waitFor()).as(output).isZero();
        assertThat(output).isEqualTo(String.valueOf(lines));
    }
}
