package org.dplstm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.dplstm.data.files.AtomicFile;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.privacy.calibration.NoiseCalibrator;
import org.dplstm.privacy.calibration.TrainingPlan;
import org.dplstm.privacy.rdp.RdpAccountant;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dplstm budget}: the (epsilon, delta) a DP-SGD plan spends, or the noise a target needs. */
@Command(
        name = "budget",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Privacy spent by a DP-SGD plan, or the smallest noise multiplier meeting a target epsilon.",
            "Poisson sampling, add/remove-one neighbours; --target-epsilon asks for the noise multiplier.",
            "Give the plan either as --sample-rate and --steps, or as --dataset-size, --batch-size",
            "and --epochs (q = B/N, steps = max(1, floor(E*N/B))).",
            "",
            "Examples:",
            "  dplstm budget --sample-rate 0.004267 --noise-multiplier 1.1 --steps 14062 --delta 1e-5",
            "  dplstm budget --dataset-size 60000 --batch-size 256 --epochs 60 --target-epsilon 3 --delta 1e-5 --format json",
            "  dplstm budget --bench     (times the accountants and calibration on this machine)",
            ""
        },
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:internal error",
            "2:bad input (nothing printed; also a plan the PLD accountant cannot compose, a target epsilon below"
                    + " what the largest noise multiplier calibration tries gives, a --plot whose folder does not exist)",
            "5:I/O failure writing --plot (permission denied, disk full; the line names the path)"})
public final class BudgetCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--sample-rate", paramLabel = "Q", description = "Poisson sample rate q in (0, 1].")
    Double sampleRate;

    @Option(names = "--steps", paramLabel = "T", description = "Number of DP-SGD steps (integer >= 1).")
    String steps;

    @Option(names = "--dataset-size", paramLabel = "N", description = "Number of examples (or users).")
    Long datasetSize;

    @Option(names = "--batch-size", paramLabel = "B", description = "Expected batch size, 0 < B <= N.")
    Double batchSize;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs, > 0.")
    Double epochs;

    @Option(names = "--noise-multiplier", paramLabel = "S", description = "Noise multiplier sigma > 0.")
    Double noiseMultiplier;

    @Option(names = "--target-epsilon", paramLabel = "EPS",
            description = "Calibrate sigma for this epsilon instead of giving --noise-multiplier.")
    Double targetEpsilon;

    @Option(names = "--delta", paramLabel = "D", description = "Delta in [1e-12, 1).")
    Double delta;

    @Option(names = "--accountant", paramLabel = "rdp|pld|all", defaultValue = "all",
            description = "Accountant(s) to run (default: ${DEFAULT-VALUE}). Calibration uses PLD unless rdp.")
    String accountant;

    @Option(names = "--format", paramLabel = "text|json|markdown", defaultValue = "text",
            description = "Output format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg", description = "Also draw epsilon against steps (an existing FILE is replaced; its folder must exist).")
    Path plot;

    @Option(names = "--bench", description = "Time RDP, PLD and calibration after warm-up, then exit.")
    boolean bench;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (bench) {
            BudgetBenchmark.run(out);
            out.flush();
            return 0;
        }
        List<AccountantKind> kinds = parseAccountants(accountant);
        String outputFormat = parseFormat(format);
        TrainingPlan plan = plan();
        Checks.delta("--delta", required(delta, "--delta"));
        if (plot != null) {
            String name = plot.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".png") && !name.endsWith(".svg")) {
                throw new IllegalArgumentException("--plot must name a .png or .svg file, was " + plot);
            }
            // Before anything is printed: a plot that cannot be written fails the command with nothing shown.
            // The file --plot names is replaced, as report's --out is (the user named it).
            try {
                AtomicFile.requireWritableTarget(plot);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--plot: " + e.getMessage());
            }
        }
        double sigma;
        AccountantKind calibratedWith = null;
        if (noiseMultiplier != null && targetEpsilon != null) {
            throw new IllegalArgumentException("--noise-multiplier and --target-epsilon conflict: give one of them");
        } else if (noiseMultiplier != null) {
            Checks.positive("--noise-multiplier", noiseMultiplier);
            sigma = Checks.finite("--noise-multiplier", noiseMultiplier);
        } else if (targetEpsilon != null) {
            Checks.positive("--target-epsilon", targetEpsilon);
            Checks.finite("--target-epsilon", targetEpsilon);
            calibratedWith = kinds.equals(List.of(AccountantKind.RDP)) ? AccountantKind.RDP : AccountantKind.PLD;
            sigma = NoiseCalibrator.noiseMultiplierFor(calibratedWith, targetEpsilon, delta, plan, List.of());
        } else {
            throw new IllegalArgumentException("give --noise-multiplier S (> 0) or --target-epsilon EPS (> 0)");
        }

        Map<AccountantKind, Double> epsilons = new LinkedHashMap<>();
        double rdpOrder = Double.NaN;
        PrivacyEvent steps = new PrivacyEvent.PoissonGaussian(plan.sampleRate(), sigma, plan.steps());
        for (AccountantKind kind : kinds) {
            PrivacyAccountant accountant = Accountants.newAccountant(kind);
            accountant.compose(steps);
            epsilons.put(kind, accountant.epsilon(delta));
            if (accountant instanceof RdpAccountant rdp) {
                rdpOrder = rdp.bestOrder(delta);
            }
        }
        BudgetReport report = new BudgetReport(plan, sigma, delta, epsilons, rdpOrder, calibratedWith, targetEpsilon);
        out.print(switch (outputFormat) {
            case "json" -> report.json();
            case "markdown" -> report.markdown();
            default -> report.text();
        });
        out.flush();
        if (plot != null) {
            writePlot(plan, sigma, kinds);
        }
        return 0;
    }

    private TrainingPlan plan() {
        boolean bySteps = sampleRate != null || steps != null;
        boolean byEpochs = datasetSize != null || batchSize != null || epochs != null;
        if (bySteps && byEpochs) {
            throw new IllegalArgumentException("--sample-rate/--steps and --dataset-size/--batch-size/--epochs conflict: "
                    + "give the plan one way");
        }
        if (byEpochs) {
            long n = Checks.atLeast("--dataset-size", required(datasetSize, "--dataset-size"), 1);
            double b = required(batchSize, "--batch-size");
            if (!(b > 0 && b <= n)) {
                throw new IllegalArgumentException("--batch-size must be in (0, " + n + "], was " + b);
            }
            double e = Checks.positive("--epochs", required(epochs, "--epochs"));
            Checks.finite("--epochs", e);
            return TrainingPlan.ofEpochs(n, b, e);
        }
        double q = Checks.halfOpenUnitInterval("--sample-rate", required(sampleRate, "--sample-rate"));
        long t;
        try {
            t = Long.parseLong(required(steps, "--steps").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--steps must be an integer >= 1, was " + steps);
        }
        Checks.atLeast("--steps", t, 1);
        return TrainingPlan.ofSteps(q, t);
    }

    private static <T> T required(T value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("missing " + option + " (see dplstm budget --help)");
        }
        return value;
    }

    static List<AccountantKind> parseAccountants(String text) {
        if ("all".equalsIgnoreCase(text.trim())) {
            return List.of(AccountantKind.RDP, AccountantKind.PLD);
        }
        try {
            return List.of(AccountantKind.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--accountant must be one of rdp, pld, all, was " + text);
        }
    }

    private static String parseFormat(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        if (!List.of("text", "json", "markdown").contains(wanted)) {
            throw new IllegalArgumentException("--format must be one of text, json, markdown, was " + text);
        }
        return wanted;
    }

    /** Epsilon at ~30 log-spaced step counts up to the plan's, one series per accountant. */
    private void writePlot(TrainingPlan plan, double sigma, List<AccountantKind> kinds) throws IOException {
        List<Long> stepCounts = new ArrayList<>();
        int points = (int) Math.min(30, plan.steps());
        for (int i = 0; i < points; i++) {
            long t = points == 1 ? plan.steps()
                    : Math.round(Math.exp(Math.log(plan.steps()) * i / (points - 1.0)));
            if (stepCounts.isEmpty() || t > stepCounts.get(stepCounts.size() - 1)) {
                stepCounts.add(Math.max(1, t));
            }
        }
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title(String.format(Locale.ROOT, "Privacy spent: q=%.4g, sigma=%.4g, delta=%.2g", plan.sampleRate(), sigma, delta))
                .xAxisTitle("steps").yAxisTitle("epsilon").build();
        chart.getStyler().setXAxisLogarithmic(stepCounts.size() > 2);
        try (ProgressBar bar = ProgressBars.builder("plot", (long) kinds.size() * stepCounts.size(), System.err).build()) {
            for (AccountantKind kind : kinds) {
                double[] x = new double[stepCounts.size()];
                double[] y = new double[stepCounts.size()];
                for (int i = 0; i < x.length; i++) {
                    PrivacyAccountant accountant = Accountants.newAccountant(kind);
                    accountant.compose(new PrivacyEvent.PoissonGaussian(plan.sampleRate(), sigma, stepCounts.get(i)));
                    x[i] = stepCounts.get(i);
                    y[i] = accountant.epsilon(delta);
                    bar.step();
                }
                chart.addSeries(kind.id().toUpperCase(Locale.ROOT), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        boolean svg = plot.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg");
        AtomicFile.write(plot, stream -> {
            if (svg) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, stream, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, stream, BitmapEncoder.BitmapFormat.PNG);
            }
        });
    }
}
