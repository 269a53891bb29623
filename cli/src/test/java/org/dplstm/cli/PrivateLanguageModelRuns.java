package org.dplstm.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The arguments of a small private {@code train --task lm} run for the CLI tests (σ fixed, one epoch of B = 20). */
final class PrivateLanguageModelRuns {

    private PrivateLanguageModelRuns() {}

    /** A run of {@code data} into {@code out}, its ledger in {@code dir}, with {@code extra} options after the rest. */
    static List<String> args(Path dir, Path data, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--task", "lm", "--train", data.toString(),
                "--noise-multiplier", "1.0", "--batch-size", "20", "--epochs", "1", "--seed", "1",
                "--ledger", dir.resolve("ledger.jsonl").toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }
}
