package org.dplstm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.dplstm.cli.CliRunner.assertBadInputWritesNothing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dplstm.audit.log.DatasetFingerprint;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}'s checks of option combinations and inputs, through the command line on tiny
 * files: options --resume cannot honour, a language model's folder of text files, an empty word
 * list, a validation file that is the training file, an unknown data extension.
 */
class TrainOptionChecksTest {

    @TempDir Path dir;
    private final ObjectMapper json = new ObjectMapper();

    private Path ledger() {
        return dir.resolve("ledger.jsonl");
    }

    private List<String> tiny(Path train, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--train", train.toString(), "--epochs", "1",
                "--threads", "1", "--embedding", "8", "--hidden", "8", "--batch-size", "20",
                "--seed", "3", "--ledger", ledger().toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return args;
    }

    /**
     * A noise multiplier so large that the plan's ε is 0 to the accountant's precision is refused
     * naming the option and the noise multipliers that work for the plan; the largest of them is
     * checked here with the accountant and by a run that starts with it.
     */
    @Test
    void aNoiseMultiplierWhoseEpsilonRoundsToZeroIsRefusedWithTheRangeThatWorks() throws IOException {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        // 60 records, expected batch 20, one epoch: q = 1/3 and 3 steps
        for (AccountantKind accountant : List.of(AccountantKind.PLD, AccountantKind.RDP)) {
            Path out = dir.resolve("run-" + accountant.id());
            String[] huge = tiny(train, out, "--noise-multiplier", "1e9", "--accountant", accountant.id())
                    .toArray(String[]::new);
            assertBadInputWritesNothing(out, "--noise-multiplier 1.0E9 is so large", huge);
            String line = CliRunner.run(huge).err().lines().filter(l -> l.startsWith("dplstm:")).findFirst().orElseThrow();
            Matcher range = Pattern.compile("--noise-multiplier in \\(0, ([0-9.]+)]").matcher(line);
            assertThat(range.find()).as(line).isTrue();
            double largest = Double.parseDouble(range.group(1));
            assertThat(epsilon(accountant, 1e9)).isZero();
            assertThat(epsilon(accountant, largest)).as(line).isPositive();
            CliRunner.Result works = CliRunner.run(tiny(train, out, "--noise-multiplier", range.group(1),
                    "--accountant", accountant.id()).toArray(String[]::new));
            assertThat(works.exitCode()).as(works.err()).isZero();
        }
    }

    private static double epsilon(AccountantKind kind, double noiseMultiplier) {
        PrivacyAccountant accountant = Accountants.newAccountant(kind);
        accountant.compose(new PrivacyEvent.PoissonGaussian(1.0 / 3, noiseMultiplier, 3));
        return accountant.epsilon(1e-5);
    }

    @Test
    void resumeRefusesOptionsThatWouldChangeTheRecordedRun() throws IOException {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path other = TicketFiles.jsonl(dir, "other.jsonl", 60, "billing", "access");
        Path run = dir.resolve("run");
        // a run without privacy, so that the ledger does not record it as finished
        CliRunner.Result trained = CliRunner.run(tiny(train, run, "--no-privacy").toArray(String[]::new));
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        // an interrupted run: its log lost run_end
        Path log = run.resolve("audit.jsonl");
        List<String> events = Files.readAllLines(log);
        assertThat(events.get(events.size() - 1)).contains("\"run_end\"");
        Files.write(log, events.subList(0, events.size() - 1));
        byte[] logBefore = Files.readAllBytes(log);
        byte[] ledgerBefore = Files.exists(ledger()) ? Files.readAllBytes(ledger()) : null;

        CliRunner.Result epsilon = CliRunner.run("train", "--resume", run.toString(), "--threads", "1",
                "--epsilon", "100", "--ledger", ledger().toString());
        assertThat(epsilon.exitCode()).as(epsilon.err()).isEqualTo(2);
        assertThat(epsilon.err().lines().filter(l -> l.startsWith("dplstm:")).toList()).singleElement()
                .satisfies(line -> assertThat(line).startsWith("dplstm: --epsilon cannot be combined with --resume"));
        CliRunner.Result many = CliRunner.run("train", "--resume", run.toString(), "--train", other.toString(),
                "--lr", "5", "--no-privacy", "--task", "lm", "--ledger", ledger().toString());
        assertThat(many.exitCode()).as(many.err()).isEqualTo(2);
        assertThat(many.err()).contains("--train").contains("--lr").contains("--no-privacy").contains("--task");
        assertThat(many.err().lines().filter(l -> l.startsWith("dplstm:")).count()).isEqualTo(1);
        assertThat(Files.readAllBytes(log)).as("the refused resumes wrote nothing").isEqualTo(logBefore);
        assertThat(Files.exists(ledger()) ? Files.readAllBytes(ledger()) : null).isEqualTo(ledgerBefore);

        // options that only say how to run (threads, device, key and ledger) are still taken
        CliRunner.Result resumed = CliRunner.run("train", "--resume", run.toString(), "--threads", "1",
                "--device", "cpu", "--ledger", ledger().toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(Files.readAllLines(log).get(Files.readAllLines(log).size() - 1)).contains("\"run_end\"");

        // a finished run: refused the same way, not "nothing to resume"
        CliRunner.Result finished = CliRunner.run("train", "--resume", run.toString(), "--train", other.toString(),
                "--lr", "5", "--ledger", ledger().toString());
        assertThat(finished.exitCode()).as(finished.err()).isEqualTo(2);
        assertThat(finished.err()).contains("--train").contains("--lr").doesNotContain("nothing to resume");
    }

    @Test
    void aLanguageModelTrainsOnAFolderOfTextFilesFingerprintedInReadingOrder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("corpus"));
        Path b = SentenceFiles.write(folder, "b.txt", 60);
        Path a = SentenceFiles.write(folder, "a.txt", 60);
        Files.writeString(folder.resolve(".hidden.txt"), "not read\n");
        Path run = dir.resolve("lm");
        CliRunner.Result trained = CliRunner.run("train", "--task", "lm", "--train", folder.toString(),
                "--epsilon", "3", "--epochs", "1", "--threads", "1", "--embedding", "8", "--hidden", "8",
                "--batch-size", "30", "--ledger", ledger().toString(), "--out", run.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        JsonNode start = json.readTree(Files.readAllLines(run.resolve("audit.jsonl")).get(0));
        assertThat(start.get("dataset_fingerprint").asText()).isEqualTo(DatasetFingerprint.of(List.of(a, b)));
    }

    @Test
    void anEmptyWordListIsRefusedNamingIt() throws IOException {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path comments = Files.writeString(dir.resolve("comments.txt"), "# no words here\n\n   \n");
        Path out = dir.resolve("run");
        assertBadInputWritesNothing(out, "word list file " + empty + " holds no words",
                tiny(train, out, "--epsilon", "3", "--vocab", empty.toString()).toArray(String[]::new));
        assertBadInputWritesNothing(out, "word list file " + comments + " holds no words",
                tiny(train, out, "--epsilon", "3", "--vocab", comments.toString()).toArray(String[]::new));
    }

    @Test
    void aWordListThatIsNotUtf8IsRefusedNamingItsFileAndLine() throws IOException {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        // "café" in Latin-1 on the third line: 0xE9 alone is no UTF-8
        Path latin1 = Files.write(dir.resolve("words.txt"), new byte[] {'r', 'e', 'f', 'u', 'n', 'd', '\n', 'p', 'l', 'e',
                'a', 's', 'e', '\n', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        Path out = dir.resolve("run");
        assertBadInputWritesNothing(out, latin1 + ":3: invalid UTF-8",
                tiny(train, out, "--epsilon", "3", "--vocab", latin1.toString()).toArray(String[]::new));
    }

    @Test
    void aValidationFileThatIsTheTrainingFileIsRefused() throws IOException {
        Path train = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        Path out = dir.resolve("run");
        assertBadInputWritesNothing(out, "--valid " + train + " is the --train file",
                tiny(train, out, "--epsilon", "3", "--valid", train.toString()).toArray(String[]::new));
        // another path to the same file: a dot segment, and a symbolic link
        Path dotted = dir.resolve(".").resolve("train.jsonl");
        assertBadInputWritesNothing(out, "is the --train file",
                tiny(train, out, "--epsilon", "3", "--valid", dotted.toString()).toArray(String[]::new));
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), train);
        assertBadInputWritesNothing(out, "is the --train file",
                tiny(train, out, "--epsilon", "3", "--valid", link.toString()).toArray(String[]::new));
        // a language model's training folder: every file in it is training text
        Path folder = Files.createDirectory(dir.resolve("corpus"));
        Files.writeString(folder.resolve("a.txt"), "one line of text\nanother line\n");
        Path inside = Files.writeString(folder.resolve("v.txt"), "a line to validate on\n");
        CliRunner.Result lm = CliRunner.run("train", "--task", "lm", "--train", folder.toString(), "--valid",
                inside.toString(), "--epsilon", "3", "--epochs", "1", "--threads", "1", "--embedding", "8", "--hidden",
                "8", "--batch-size", "2", "--ledger", ledger().toString(), "--out", out.toString());
        assertThat(lm.exitCode()).as(lm.err()).isEqualTo(2);
        assertThat(lm.err()).contains("--valid " + inside + " is inside the --train folder " + folder);
        assertThat(out).doesNotExist();
    }

    @Test
    void anUnknownExtensionNamesTheExtensionsTrainReads() throws IOException {
        Path train = Files.writeString(dir.resolve("t.dat"), "text,label\nhello,a\nworld,b\n");
        Path out = dir.resolve("run");
        CliRunner.Result classifier = CliRunner.run(tiny(train, out, "--epsilon", "3").toArray(String[]::new));
        assertThat(classifier.exitCode()).as(classifier.err()).isEqualTo(2);
        assertThat(classifier.err()).contains("t.dat").contains(".csv").contains(".tsv").contains(".jsonl")
                .doesNotContain("--format");
        assertThat(out).doesNotExist();
        CliRunner.Result lm = CliRunner.run("train", "--task", "lm", "--train", train.toString(), "--epsilon", "3",
                "--epochs", "1", "--threads", "1", "--embedding", "8", "--hidden", "8", "--batch-size", "2",
                "--ledger", ledger().toString(), "--out", out.toString());
        assertThat(lm.exitCode()).as(lm.err()).isEqualTo(2);
        assertThat(lm.err()).contains("t.dat").contains(".txt").contains("folder").doesNotContain("--format");
        assertThat(out).doesNotExist();
    }

    @Test
    void resumesHelpNamesExactlyTheOptionsItTakes() {
        String help = String.join(" ", new picocli.CommandLine(new TrainCommand()).getCommandSpec().findOption("--resume")
                .description());
        for (String option : TrainCommand.RESUME_OPTIONS.subList(1, TrainCommand.RESUME_OPTIONS.size())) {
            assertThat(help).as(option).contains(option);
        }
        assertThat(help.split("--", -1).length - 1).as("options named in: " + help)
                .isEqualTo(TrainCommand.RESUME_OPTIONS.size() - 1);
    }
}
