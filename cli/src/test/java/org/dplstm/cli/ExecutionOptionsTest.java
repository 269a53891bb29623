package org.dplstm.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the steps run, as the cli module alone sees it: no GPU here, and no Spark on its
 * class path (a plain run never loads it), so each choice that needs them is bad input that
 * writes nothing.
 */
class ExecutionOptionsTest {

    @TempDir Path dir;

    private String[] train(Path out, String... extra) throws Exception {
        Path data = TicketFiles.jsonl(dir, "train.jsonl", 60, "billing", "access");
        String[] base = {"train", "--train", data.toString(), "--epsilon", "8", "--epochs", "1", "--out", out.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return args;
    }

    @Test
    void moreGpusThanTheEngineSeesIsBadInput() throws Exception {
        Path out = dir.resolve("run");
        CliRunner.assertBadInputWritesNothing(out, "--gpus must be at most the 0 GPU(s) the engine sees, was 1",
                train(out, "--gpus", "1"));
        CliRunner.assertBadInputWritesNothing(out, "--gpus must be at most the 0 GPU(s) the engine sees, was all",
                train(out, "--gpus", "all"));
        CliRunner.assertBadInputWritesNothing(out, "--gpus must be a count >= 1 or all, was 0", train(out, "--gpus", "0"));
    }

    @Test
    void sparkWithoutItsModuleOnTheClassPathIsBadInput() throws Exception {
        Path out = dir.resolve("run");
        CliRunner.assertBadInputWritesNothing(out, "--spark-master needs the dplstm-spark module on the class path",
                train(out, "--spark-master", "local[2]"));
        CliRunner.assertBadInputWritesNothing(out, "give --gpus or --spark-master, not both",
                train(out, "--spark-master", "local[2]", "--gpus", "1"));
    }
}
