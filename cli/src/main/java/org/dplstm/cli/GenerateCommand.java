package org.dplstm.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.dplstm.training.languagemodel.GenerationOptions;
import org.dplstm.training.languagemodel.TextGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dplstm generate}: continues a prompt with a trained language model. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Continues a prompt with the language model of a run trained with --task lm and prints the "
                    + "continuation only (the text to append to the prompt). The prompt is sanitized and "
                    + "tokenized exactly as in training. Generation stops at the end of a text or after "
                    + "--max-tokens tokens. Generated text is public output of the private model: --seed only "
                    + "makes the sampling repeatable.",
            "",
            "Examples:",
            "  ./dplstm generate --model runs/lm1 --prompt \"The secret of life is\"",
            "  ./dplstm generate --model runs/lm1 --prompt \"Never\" --temperature 0.7 --top-k 20 --seed 1",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error",
            "2:bad input (also a model or encoder that does not match its run's audit log)",
            "5:I/O failure (an unreadable run directory; the line names the path)"})
public final class GenerateCommand implements Callable<Integer> {

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "RUN_DIR", required = true, description = "A run directory written by train --task lm.")
    Path model;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "", description = "Text to continue (default: empty, a new text).")
    String prompt;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "" + GenerationOptions.DEFAULT_MAX_TOKENS,
            description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "" + GenerationOptions.DEFAULT_TEMPERATURE,
            description = "Softmax temperature; 0 always takes the most probable token (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "" + GenerationOptions.DEFAULT_TOP_K,
            description = "Sample among the K most probable tokens only; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", paramLabel = "S", description = "Seeds the sampling of the output (default: random).")
    Long seed;

    @Mixin TrainedModelOptions loading;

    @Override
    public Integer call() throws IOException {
        EngineSetup.requireUsable();
        GenerationOptions options = new GenerationOptions(maxTokens, temperature, topK,
                seed == null ? OptionalLong.empty() : OptionalLong.of(seed));
        try (TextGenerator generator = TextGenerator.load(model, loading.device(), loading.key())) {
            var out = spec.commandLine().getOut();
            out.println(generator.generate(prompt, options));
            out.flush();
        }
        return 0;
    }
}
