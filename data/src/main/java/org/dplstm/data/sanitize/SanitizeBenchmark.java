package org.dplstm.data.sanitize;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.dplstm.data.sanitize.person.PersonModel;

/**
 * Measures sanitizer throughput on one thread over given texts (the command gives English
 * support-ticket prose, about half the texts carrying a piece of personal data), the chosen
 * detectors, normalisation on.
 * Reported as MB/s of UTF-8 input, median of timed passes after a warm-up pass.
 */
public final class SanitizeBenchmark {

    /** Input size, pass timings and the resulting throughput. */
    public record Result(long bytes, int records, long spansFound, double[] megabytesPerSecond,
            double[] megabytesPerCpuSecond) {
        /** Median throughput over wall-clock time. */
        public double median() {
            return medianOf(megabytesPerSecond);
        }

        /** Median throughput over the thread's CPU time: per core, whatever else the machine runs. */
        public double medianPerCpuSecond() {
            return medianOf(megabytesPerCpuSecond);
        }

        private static double medianOf(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return sorted[sorted.length / 2];
        }
    }

    private SanitizeBenchmark() {}

    /**
     * Sanitizes {@code texts} {@code passes} times (after one warm-up pass) with the detectors of
     * {@code types} ({@code personModel} null: the shipped one).
     */
    public static Result run(List<String> texts, int passes, Set<PiiType> types, PersonModel personModel) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("benchmark texts must not be empty");
        }
        if (passes < 1) {
            throw new IllegalArgumentException("benchmark passes must be >= 1, was " + passes);
        }
        long bytes = 0;
        for (String text : texts) {
            bytes += text.getBytes(StandardCharsets.UTF_8).length;
        }
        PiiRedactor redactor = new PiiRedactor(types, "US", List.of(), personModel);
        TextNormalizer normalizer = new TextNormalizer(SanitizerConfig.DEFAULT_MAX_CHARS);
        long spans = pass(texts, normalizer, redactor); // warm-up: JIT compilation, libphonenumber metadata
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] rates = new double[passes];
        double[] cpuRates = new double[passes];
        for (int p = 0; p < passes; p++) {
            long cpuStart = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            pass(texts, normalizer, redactor);
            rates[p] = bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
            cpuRates[p] = bytes / 1e6 / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
        }
        return new Result(bytes, texts.size(), spans, rates, cpuRates);
    }

    private static long pass(List<String> texts, TextNormalizer normalizer, PiiRedactor redactor) {
        long spans = 0;
        for (String text : texts) {
            spans += redactor.redact(normalizer.normalize(text)).spans().size();
        }
        return spans;
    }
}
