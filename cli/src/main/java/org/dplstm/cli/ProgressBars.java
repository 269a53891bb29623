package org.dplstm.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on standard error, drawn only on an interactive terminal: redirected to a file or
 * a CI log, a bar's carriage-return redraws would fill it with thousands of partial lines, so
 * there the bar is silent and the commands' own one-line summaries are the record.
 */
final class ProgressBars {

    private ProgressBars() {}

    /** A bar builder with the project's style; add options, then {@code build()}. */
    static ProgressBarBuilder builder(String taskName, long max, PrintStream err) {
        return new ProgressBarBuilder()
                .setTaskName(taskName)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setConsumer(System.console() != null
                        ? new ConsoleProgressBarConsumer(err)
                        : new DelegatingProgressBarConsumer(rendered -> {}));
    }
}
