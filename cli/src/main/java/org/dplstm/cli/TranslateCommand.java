package org.dplstm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.dplstm.data.io.ReadOptions;
import org.dplstm.data.io.TextRecord;
import org.dplstm.training.languagemodel.PlainTexts;
import org.dplstm.training.seq2seq.TranslationOptions;
import org.dplstm.training.seq2seq.Translator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dplstm translate}: target texts from source texts with a trained encoder-decoder. */
@Command(
        name = "translate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Translates (or replies to) texts with the encoder-decoder of a run trained with --task seq2seq and prints"
                    + " exactly one output per input, in order. Sources are sanitized and tokenized exactly as in"
                    + " training. Greedy decoding by default; --beam K keeps the K most probable partial outputs and"
                    + " returns the best by log-probability per token. With --format text each output is one line"
                    + " (line breaks become spaces); with --format json one object a line: {\"source\", \"translation\"}.",
            "",
            "Examples:",
            "  ./dplstm translate --model runs/mt1 --text \"Development files for libfoo\"",
            "  ./dplstm translate --model runs/mt1 --input sources.txt --beam 5 --format json",
            "  ./dplstm translate --model runs/mt1 --input test.jsonl --source-field source > hypotheses.txt",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error",
            "2:bad input (also a model or encoder that does not match its run's audit log)",
            "5:I/O failure (an unreadable run directory or input; the line names the path)"})
public final class TranslateCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "RUN_DIR", required = true,
            description = "A run directory written by train --task seq2seq.")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    /** Exactly one of a text or an input file. */
    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "One source text.")
        String text;

        @Option(names = "--input", paramLabel = "FILE",
                description = "Sources: a .txt file (one a non-blank line) or the source field of a .jsonl, .csv or .tsv file.")
        Path file;
    }

    // no picocli default: given for texts without fields, it is refused rather than ignored
    @Option(names = "--source-field", paramLabel = "NAME",
            description = "The source field of a .jsonl, .csv or .tsv --input (default: " + TrainingOptions.SOURCE_FIELD + ").")
    String sourceField;

    @Option(names = "--beam", paramLabel = "K", defaultValue = "1",
            description = "Beam width; 1 is greedy decoding (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "" + TranslationOptions.DEFAULT_MAX_TOKENS,
            description = "Most target tokens per output (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text (one line per output) or json (one object per line) (default: ${DEFAULT-VALUE}).")
    String format;

    @Mixin TrainedModelOptions loading;

    @Override
    public Integer call() throws IOException {
        EngineSetup.requireUsable();
        TranslationOptions options = new TranslationOptions(maxTokens, beam);
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("format must be one of [text, json], was " + format);
        }
        if (sourceField != null && (input.text != null || PlainTexts.isPlainText(input.file))) {
            throw new IllegalArgumentException("--source-field applies to a .csv, .tsv or .jsonl --input, not to "
                    + (input.text != null ? "--text" : "plain text (one source a line)"));
        }
        List<String> sources = input.text != null ? List.of(input.text)
                : PlainTexts.read(input.file, ReadOptions.builder()
                        .optTextField(sourceField != null ? sourceField : TrainingOptions.SOURCE_FIELD).build()).stream()
                        .map(TextRecord::text).toList();
        List<String> outputs;
        try (Translator translator = Translator.load(model, loading.device(), loading.key())) {
            outputs = translateAll(translator, sources, options);
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < sources.size(); i++) {
            if (format.equals("json")) {
                Map<String, String> line = new LinkedHashMap<>();
                line.put("source", sources.get(i));
                line.put("translation", outputs.get(i));
                out.println(json.writeValueAsString(line));
            } else {
                out.println(outputs.get(i).replaceAll("\\R", " "));
            }
        }
        out.flush();
        return 0;
    }

    /** In chunks, with a progress bar when there are many sources. */
    private static List<String> translateAll(Translator translator, List<String> sources, TranslationOptions options) {
        if (sources.size() <= 1) {
            return translator.translate(sources, options);
        }
        List<String> outputs = new java.util.ArrayList<>(sources.size());
        try (ProgressBar bar = ProgressBars.builder("translate", sources.size(), System.err).build()) {
            int chunk = 128;
            for (int start = 0; start < sources.size(); start += chunk) {
                List<String> part = sources.subList(start, Math.min(sources.size(), start + chunk));
                outputs.addAll(translator.translate(part, options));
                bar.stepBy(part.size());
            }
        }
        return outputs;
    }
}
