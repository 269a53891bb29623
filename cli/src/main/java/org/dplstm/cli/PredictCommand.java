package org.dplstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.RecordFormat;
import org.dplstm.data.io.RecordReader;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.classifier.Prediction;
import org.dplstm.training.classifier.TextClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dplstm predict}: labels texts with a trained run's model. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Predicts a label and its probability for each input text with the model of a training run. "
                    + "Texts are sanitized and tokenized exactly as in training. The model is used only when the run's "
                    + "audit log verifies and binds it (and its encoder) by SHA-256.",
            "",
            "Examples:",
            "  ./dplstm predict --model runs/r1 --text \"I was charged twice for my order\"",
            "  ./dplstm predict --model runs/r1 --input texts.txt --format json",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error",
            "2:bad input (also a model or encoder that does not match its run's audit log)",
            "5:I/O failure (an unreadable run directory or input; the line names the path)",
            "7:the run's model holds non-finite weights"})
public final class PredictCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", paramLabel = "RUN_DIR", required = true, description = "A run directory written by train or demo.")
    Path model;

    @Option(names = "--text", paramLabel = "TEXT", description = "One text to label (repeatable).")
    List<String> texts = new ArrayList<>();

    @Option(names = "--input", paramLabel = "FILE",
            description = "Texts to label: .csv/.tsv/.jsonl (field --text-field) or plain text, one per line.")
    Path input;

    // no picocli default: given for texts without fields, it is refused rather than ignored
    @Option(names = "--text-field", paramLabel = "NAME", description = "Text field of CSV/JSONL input (default: "
            + TrainingOptions.TEXT_FIELD + ").")
    String textField;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text: label<TAB>probability per line; json: one JSON object per line (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin TrainedModelOptions loading;

    @Override
    public Integer call() throws IOException {
        EngineSetup.requireUsable();
        boolean json = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("format must be one of text|json, was " + format);
        };
        if (texts.isEmpty() == (input == null)) {
            throw new IllegalArgumentException("give either --text or --input");
        }
        if (textField != null && (input == null || !hasFields(input))) {
            throw new IllegalArgumentException("--text-field applies to a .csv, .tsv or .jsonl --input, not to "
                    + (input == null ? "--text" : "plain text (one text a line)"));
        }
        List<String> inputs = input == null ? texts : readInputs(input);
        try (TextClassifier classifier = TextClassifier.load(model, loading.device(), loading.key())) {
            List<Prediction> predictions = classifier.predictAll(inputs);
            for (Prediction prediction : predictions) {
                if (json) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("label", prediction.label());
                    line.put("probability", prediction.probability());
                    System.out.println(JSON.writeValueAsString(line));
                } else {
                    System.out.printf(Locale.ROOT, "%s\t%.4f%n", prediction.label(), prediction.probability());
                }
            }
        }
        return 0;
    }

    /** A .csv, .tsv or .jsonl --input: records with fields; anything else is plain text, one text a line. */
    private static boolean hasFields(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".jsonl");
    }

    private List<String> readInputs(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--input file does not exist: " + file);
        }
        List<String> lines = new ArrayList<>();
        if (hasFields(file)) {
            ReadOptions options = ReadOptions.builder().optTextField(textField != null ? textField : TrainingOptions.TEXT_FIELD).build();
            try (RecordReader reader = RecordReader.open(file, RecordFormat.fromExtension(file), options)) {
                for (TextRecord record = reader.next(); record != null; record = reader.next()) {
                    lines.add(record.text());
                }
            }
            return lines;
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("--input must be UTF-8 text: " + file, e);
        }
    }
}
