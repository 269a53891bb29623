package org.dplstm.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.data.io.OnError;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.RecordWriter;
import org.dplstm.data.io.TextRecord;
import org.dplstm.data.sanitize.CustomDetector;
import org.dplstm.data.sanitize.DedupMode;
import org.dplstm.data.sanitize.PiiType;
import org.dplstm.data.sanitize.SanitizationReport;
import org.dplstm.data.sanitize.SanitizeBenchmark;
import org.dplstm.data.sanitize.Sanitizer;
import org.dplstm.data.sanitize.SanitizerConfig;
import org.dplstm.data.sanitize.person.PersonModel;
import org.dplstm.data.synthetic.SupportTickets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dplstm sanitize}: normalise, redact, dedup and bound a CSV/TSV/JSONL file. */
@Command(
        name = "sanitize",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Cleans private text before training: Unicode normalisation, PII redaction with validating "
                    + "detectors ([EMAIL] [PHONE] [CARD] [IBAN] [SSN] [IP] [URL] [PERSON] [ADDRESS] [DATE]), duplicate "
                    + "removal, and at most K random records per user. Only the text field changes; every other field "
                    + "passes through in order. The output and the report appear together, only when the run succeeds; "
                    + "neither may be the input or each other (links followed).",
            "",
            "Example:",
            "  ./dplstm sanitize --input tickets.csv --output clean.csv --user-field user \\",
            "      --max-per-user 20 --report report.json",
            "Only some types, or a person model of your own:",
            "  ./dplstm sanitize --input t.csv --output c.csv --pii-types email,phone,card,person",
            "Benchmark (MB/s on one core; the detectors of --pii-types, all by default):",
            "  ./dplstm sanitize --bench",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad input (the message names file:line or the option)"})
public final class SanitizeCommand implements Callable<Integer> {

    /** Inputs at least this large get a progress bar on standard error. */
    private static final long PROGRESS_BAR_MIN_BYTES = 8L << 20;

    @Option(names = "--input", paramLabel = "FILE", description = "Input file (.csv, .tsv, .jsonl).")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "Output file, same format as the input.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv, tsv or jsonl: input and output format (default: from the input's extension).")
    String format;

    @Option(names = "--text-field", paramLabel = "NAME", defaultValue = "text",
            description = "Field holding the text (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--label-field", paramLabel = "NAME", description = "Field holding the label (optional).")
    String labelField;

    @Option(names = "--user-field", paramLabel = "NAME", description = "Field holding the user id (needed by --max-per-user).")
    String userField;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a JSON report of counts (never raw values).")
    Path report;

    @Option(names = "--max-per-user", paramLabel = "K",
            description = "Keep at most K records per user, chosen at random from a secure source.")
    Integer maxPerUser;

    @Option(names = "--dedup", paramLabel = "MODE", defaultValue = "exact",
            description = "exact, near (MinHash) or none (default: ${DEFAULT-VALUE}).")
    String dedup;

    @Option(names = "--near-threshold", paramLabel = "J", defaultValue = "0.8",
            description = "Jaccard similarity at which --dedup near drops a record (default: ${DEFAULT-VALUE}).")
    double nearThreshold;

    @Option(names = "--on-error", paramLabel = "POLICY", defaultValue = "fail",
            description = "fail or skip invalid records (skipped ones are counted in the report; default: ${DEFAULT-VALUE}).")
    String onError;

    @Option(names = "--phone-region", paramLabel = "CC", defaultValue = "US",
            description = "Region(s) whose national phone formats are recognised, e.g. US or US,DE,GB (international +CC numbers are found in any case; default: ${DEFAULT-VALUE}).")
    String phoneRegion;

    @Option(names = "--max-chars", paramLabel = "N", defaultValue = "" + SanitizerConfig.DEFAULT_MAX_CHARS,
            description = "Cap on each text after normalisation (default: ${DEFAULT-VALUE}).")
    int maxChars;

    @Option(names = "--pii-types", paramLabel = "LIST", defaultValue = "all",
            description = "Built-in detectors to run, comma-separated: email, phone, card, iban, ssn, ip, url, "
                    + "person, address, date; or all, or none (default: ${DEFAULT-VALUE}).")
    String piiTypes;

    @Option(names = "--person-model", paramLabel = "FILE",
            description = "Person-name model to use instead of the one shipped with dplstm "
                    + "(trained by tools/pii/train_person_model.sh).")
    Path personModel;

    @Option(names = "--detector", paramLabel = "NAME[:VALIDATOR]=REGEX",
            description = "Extra detector, e.g. EMPLOYEE_ID=EMP-[0-9]{6} or ACCOUNT:luhn=[0-9]{12,19}. "
                    + "Validators: luhn, iban, ssn, ipv4, ipv6, phone. Repeatable.")
    List<String> detectors = List.of();

    @Option(names = "--bench", description = "Measure throughput on built-in English prose instead of sanitizing a file.")
    boolean bench;

    @Option(names = "--bench-mb", paramLabel = "MB", defaultValue = "20", description = "Benchmark input size (default: ${DEFAULT-VALUE}).")
    int benchMegabytes;

    @Override
    public Integer call() throws IOException {
        Set<PiiType> types = PiiType.parseList(piiTypes);
        PersonModel model = personModel != null ? PersonModel.load(personModel) : null;
        if (bench) {
            return benchmark(types, model);
        }
        if (input == null) {
            throw new IllegalArgumentException("--input is required (or give --bench)");
        }
        if (output == null) {
            throw new IllegalArgumentException("--output is required");
        }
        if (maxPerUser != null && userField == null) {
            throw new IllegalArgumentException("--max-per-user needs --user-field (which field holds the user id)");
        }
        RecordFormat recordFormat = format != null ? RecordFormat.parse(format)
                : RecordFormat.fromExtension(input, ", or give --format csv, tsv or jsonl");
        ReadOptions readOptions = ReadOptions.builder()
                .optTextField(textField)
                .optLabelField(labelField)
                .optUserField(userField)
                .optOnError(OnError.parse(onError))
                .build();
        SanitizerConfig.Builder config = SanitizerConfig.builder()
                .optDedup(DedupMode.parse(dedup))
                .optNearDuplicateThreshold(nearThreshold)
                .optPiiTypes(types)
                .optPersonModel(model)
                .optPhoneRegion(phoneRegion)
                .optMaxChars(maxChars)
                .optCustomDetectors(detectors.stream().map(CustomDetector::parse).toList());
        if (maxPerUser != null) {
            config.optMaxRecordsPerUser(maxPerUser);
        }
        Sanitizer sanitizer = new Sanitizer(config.build());
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("--input file does not exist: " + input);
        }
        OutputPaths.requireDistinct("--output", output, "--input", input);
        requireOutputFormat(recordFormat);
        AtomicFile.requireWritableTarget(output);
        if (report != null) {
            OutputPaths.requireDistinct("--report", report, "--input", input);
            OutputPaths.requireDistinct("--report", report, "--output", output);
            AtomicFile.requireWritableTarget(report);
        }

        // The output and the report appear together or not at all: both are written and synced
        // before either replaces what was there.
        SanitizationReport[] result = new SanitizationReport[1];
        long size = Files.size(input);
        try (RecordReader reader = RecordReader.open(input, recordFormat, readOptions);
                ProgressBar progress = size >= PROGRESS_BAR_MIN_BYTES ? progressBar(size) : null) {
            List<AtomicFile.Part> outputs = new ArrayList<>();
            outputs.add(new AtomicFile.Part(output, stream -> {
                try (RecordWriter writer = RecordWriter.create(stream, recordFormat, reader.fieldNames(), textField)) {
                    result[0] = sanitizer.run(reader, writer, bytes -> {
                        if (progress != null) {
                            progress.stepTo(bytes);
                        }
                    });
                }
            }));
            if (report != null) {
                outputs.add(new AtomicFile.Part(report,
                        stream -> stream.write(result[0].toJsonString().getBytes(StandardCharsets.UTF_8))));
            }
            AtomicFile.writeAll(outputs);
        } catch (IOException e) {
            // A full disk reports no path: name the files (a FileSystemException names its own).
            if (e instanceof FileSystemException) {
                throw e;
            }
            throw new UncheckedIOException("cannot sanitize " + input + " into " + output, e);
        }
        System.out.printf(Locale.ROOT, "sanitize: %d records in, %d out (%d changed); dropped %s; pii %s%n",
                result[0].recordsIn(), result[0].recordsOut(), result[0].recordsChanged(), result[0].dropped(),
                result[0].pii());
        return 0;
    }

    private static ProgressBar progressBar(long size) {
        return ProgressBars.builder("sanitize", size, System.err)
                .setUnit(" MB", 1L << 20)
                .showSpeed()
                .build();
    }

    /** About {@code megabytes} MB of synthetic English support-ticket prose. */
    private static List<String> ticketTexts(int megabytes) {
        if (megabytes < 1) {
            throw new IllegalArgumentException("benchmark size must be >= 1 MB, was " + megabytes);
        }
        List<String> texts = new ArrayList<>();
        long bytes = 0;
        int batch = 0;
        while (bytes < megabytes * 1_000_000L) {
            for (TextRecord ticket : SupportTickets.generate(10_000, batch++)) {
                texts.add(ticket.text());
                bytes += ticket.text().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return texts;
    }

    private int benchmark(Set<PiiType> types, PersonModel model) {
        SanitizeBenchmark.Result result = SanitizeBenchmark.run(ticketTexts(benchMegabytes), 3, types, model);
        System.out.printf(Locale.ROOT, "sanitize benchmark: %.1f MB of English support-ticket prose, %d texts, "
                        + "%d PII spans per pass, detectors: %s, 1 thread%n",
                result.bytes() / 1e6, result.records(), result.spansFound(),
                types.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(",")));
        for (int p = 0; p < result.megabytesPerSecond().length; p++) {
            System.out.printf(Locale.ROOT, "  pass %d: %.1f MB/s wall clock, %.1f MB/s of thread CPU time%n",
                    p + 1, result.megabytesPerSecond()[p], result.megabytesPerCpuSecond()[p]);
        }
        System.out.printf(Locale.ROOT, "median: %.1f MB/s wall clock, %.1f MB/s per core (CPU time)%n",
                result.median(), result.medianPerCpuSecond());
        return 0;
    }

    /**
     * The output is written in the input's format: an output whose extension names another format
     * (clean.jsonl from a CSV) would hold text its name misdescribes, which the next reader rejects.
     */
    private void requireOutputFormat(RecordFormat written) {
        // a name that names no format has nothing to contradict
        RecordFormat.named(output).filter(named -> named != written).ifPresent(named -> {
            throw new IllegalArgumentException("--output " + output + " names the " + named.id() + " format, but the output is"
                    + " written as " + written.id() + " (the input's format): give it a ." + written.id() + " name");
        });
    }
}
