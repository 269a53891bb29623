package org.dplstm.data.sanitize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dplstm.data.io.OnError;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.RecordWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SanitizerTest {
    @TempDir Path dir;

    private String run(String csv, SanitizerConfig config, OnError onError, SanitizationReport[] report) throws IOException {
        Path in = dir.resolve("in.csv");
        Files.write(in, csv.getBytes(StandardCharsets.ISO_8859_1));
        ReadOptions options = ReadOptions.builder().optUserField("user").optOnError(onError).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RecordReader reader = RecordReader.open(in, RecordFormat.CSV, options);
                RecordWriter writer = RecordWriter.create(out, RecordFormat.CSV, reader.fieldNames(), "text")) {
            report[0] = new Sanitizer(config).run(reader, writer, bytes -> { });
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheTextFieldChangesAndTheReportCountsWithoutValues() throws IOException {
        SanitizationReport[] report = new SanitizationReport[1];
        String output = run("id,text,user,score\n"
                + "1,mail a@example.com  now,u1,0.5\n"
                + "2,nothing here,u2,0.7\n"
                + "3,nothing here,u3,0.9\n"
                + "4,\u00ff\u00fe,u4,1\n"
                + "5,call (415) 555-0132,u5,x\n", SanitizerConfig.defaults(), OnError.SKIP, report);
        assertThat(output).isEqualTo("id,text,user,score\r\n1,mail [EMAIL] now,u1,0.5\r\n2,nothing here,u2,0.7\r\n"
                + "5,call [PHONE],u5,x\r\n");
        JsonNode json = report[0].toJson();
        assertThat(json.get("records_in").asLong()).isEqualTo(5);
        assertThat(json.get("records_out").asLong()).isEqualTo(3);
        assertThat(json.get("records_changed").asLong()).isEqualTo(2);
        assertThat(json.get("dropped").get("duplicate").asLong()).isEqualTo(1);
        assertThat(json.get("dropped").get("invalid_utf8").asLong()).isEqualTo(1);
        assertThat(json.get("pii").get("EMAIL").asLong()).isEqualTo(1);
        assertThat(json.get("pii").get("PHONE").asLong()).isEqualTo(1);
        assertThat(report[0].toJsonString()).doesNotContain("a@example.com").doesNotContain("555");
    }

    @Test
    void cleanCountedCountsRecordsChangesAndSpansButNoValues() {
        Sanitizer sanitizer = new Sanitizer(SanitizerConfig.defaults());
        SanitizationReport report = new SanitizationReport();
        assertThat(sanitizer.cleanCounted("mail a@example.com or b@example.org", report))
                .isEqualTo("mail [EMAIL] or [EMAIL]");
        assertThat(sanitizer.cleanCounted("nothing here", report)).isEqualTo("nothing here");
        assertThat(sanitizer.cleanCounted("call (415) 555-0132", report)).isEqualTo("call [PHONE]");
        JsonNode json = report.toJson();
        assertThat(json.get("records_in").asLong()).isEqualTo(3);
        assertThat(json.get("records_out").asLong()).isEqualTo(3);
        assertThat(json.get("records_changed").asLong()).isEqualTo(2);
        assertThat(json.get("pii").get("EMAIL").asLong()).isEqualTo(2);
        assertThat(json.get("pii").get("PHONE").asLong()).isEqualTo(1);
        assertThat(report.toJsonString()).doesNotContain("example").doesNotContain("555");
        JsonNode config = SanitizerConfig.builder().optPhoneRegion("GB").optMaxRecordsPerUser(3).build().toJson();
        assertThat(config.get("phone_region").asText()).isEqualTo("GB");
        assertThat(config.get("max_records_per_user").asInt()).isEqualTo(3);
        assertThat(config.get("pii_types").size()).isEqualTo(PiiType.values().length);
    }

    @Test
    void perUserCapKeepsAtMostKPerUserInInputOrder() throws IOException {
        StringBuilder csv = new StringBuilder("text,user\n");
        for (int i = 0; i < 30; i++) {
            csv.append("ticket ").append(i).append(',').append(i < 20 ? "heavy" : "light" + i).append('\n');
        }
        SanitizationReport[] report = new SanitizationReport[1];
        String output = run(csv.toString(), SanitizerConfig.builder().optMaxRecordsPerUser(3).build(), OnError.FAIL, report);
        assertThat(output.lines().filter(l -> l.endsWith(",heavy"))).hasSize(3);
        assertThat(output.lines().filter(l -> l.contains(",light"))).hasSize(10);
        assertThat(report[0].dropped()).containsEntry("user_cap", 17L);
        assertThat(report[0].recordsOut()).isEqualTo(13);
    }

    @Test
    void nearDedupDropsNearCopies() throws IOException {
        SanitizationReport[] report = new SanitizationReport[1];
        String a = "My parcel has not arrived and the tracking page has not changed for a whole week now";
        run("text,user\n" + a + ",u\n" + a + "!" + ",u\nsomething entirely different about billing,u\n",
                SanitizerConfig.builder().optDedup(DedupMode.NEAR).build(), OnError.FAIL, report);
        assertThat(report[0].dropped()).containsEntry("near_duplicate", 1L);
        assertThat(report[0].recordsOut()).isEqualTo(2);
    }
}
