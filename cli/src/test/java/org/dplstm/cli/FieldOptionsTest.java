package org.dplstm.cli;

import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options naming a record's fields are refused where nothing reads them (a task without that
 * field, plain text, a text given on the command line), naming where they apply, rather than
 * silently ignored.
 */
class FieldOptionsTest {

    @TempDir Path dir;

    private List<String> train(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--train", data.toString(), "--epochs", "1",
                "--threads", "1", "--embedding", "8", "--hidden", "8", "--batch-size", "20",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    /** A field option the run would not read is refused naming where it applies, not silently ignored. */
    @Test
    void fieldOptionsWhereTheyDoNotApplyAreRefusedNamingWhereTheyApply() throws IOException {
        Path tickets = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path pairs = PairFiles.write(dir, "pairs.jsonl", 40);
        Path text = Files.writeString(dir.resolve("lines.txt"), "the quick brown fox\njumps over the dog\n");
        Path out = dir.resolve("run");
        assertBadInputWritesNothing(out, "--source-field needs --task seq2seq",
                train(tickets, out, "--no-privacy", "--source-field", "text").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--target-field needs --task seq2seq",
                train(tickets, out, "--no-privacy", "--task", "lm", "--target-field", "text").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--label-field needs --task classify",
                train(tickets, out, "--no-privacy", "--task", "lm", "--label-field", "label").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--label-field needs --task classify",
                train(pairs, out, "--no-privacy", "--task", "seq2seq", "--label-field", "label").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--text-field does not apply to --task seq2seq",
                train(pairs, out, "--no-privacy", "--task", "seq2seq", "--text-field", "source").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--text-field applies to CSV, TSV and JSONL data",
                train(text, out, "--no-privacy", "--task", "lm", "--text-field", "body").toArray(String[]::new));
        assertBadInputWritesNothing(out, "--user-field applies to CSV, TSV and JSONL data",
                train(text, out, "--no-privacy", "--task", "lm", "--user-field", "user").toArray(String[]::new));
    }

    /** predict and translate read a field only from a .csv, .tsv or .jsonl --input. */
    @Test
    void predictAndTranslateRefuseAFieldForTextsWithoutFields() throws IOException {
        Path text = Files.writeString(dir.resolve("lines.txt"), "refund please\n");
        Path model = dir.resolve("no-run-needed"); // refused before the model is looked at
        Path out = dir.resolve("nothing");
        assertBadInputWritesNothing(out, "--text-field applies to a .csv, .tsv or .jsonl --input",
                "predict", "--model", model.toString(), "--text", "refund please", "--text-field", "body");
        assertBadInputWritesNothing(out, "--text-field applies to a .csv, .tsv or .jsonl --input",
                "predict", "--model", model.toString(), "--input", text.toString(), "--text-field", "body");
        assertBadInputWritesNothing(out, "--source-field applies to a .csv, .tsv or .jsonl --input",
                "translate", "--model", model.toString(), "--text", "the cat", "--source-field", "src");
        assertBadInputWritesNothing(out, "--source-field applies to a .csv, .tsv or .jsonl --input",
                "translate", "--model", model.toString(), "--input", text.toString(), "--source-field", "src");
    }
}
