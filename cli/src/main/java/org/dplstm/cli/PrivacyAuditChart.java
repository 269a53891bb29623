package org.dplstm.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.dplstm.training.privacyaudit.PrivacyAuditOutcome;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.style.Styler;

/**
 * The audit as one PNG (XChart, headless): left, each canary's exposure against the maximum
 * log2 |R|; right, histograms of the audit examples' losses, included against excluded (the
 * further apart, the more the model reveals membership).
 */
public final class PrivacyAuditChart {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 420;
    private static final int BINS = 30;

    private PrivacyAuditChart() {}

    public static byte[] png(PrivacyAuditOutcome outcome) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage left = BitmapEncoder.getBufferedImage(exposureChart(outcome));
        BufferedImage right = BitmapEncoder.getBufferedImage(lossChart(outcome));
        BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(),
                Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, both.getWidth(), both.getHeight());
            g.drawImage(left, 0, 0, null);
            g.drawImage(right, left.getWidth(), 0, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(both, "png", bytes);
        return bytes.toByteArray();
    }

    private static CategoryChart exposureChart(PrivacyAuditOutcome outcome) {
        List<Double> exposures = outcome.result().exposurePerCanary();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Canary exposure (mean %.2f of max %.2f bits)",
                        outcome.result().meanExposure(), outcome.log2SpaceSize()))
                .xAxisTitle("canary").yAxisTitle("exposure (bits)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(outcome.log2SpaceSize());
        List<Integer> index = IntStream.rangeClosed(1, exposures.size()).boxed().toList();
        chart.addSeries("exposure", index, exposures);
        return chart;
    }

    private static CategoryChart lossChart(PrivacyAuditOutcome outcome) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Audit example loss (MIA AUC %.3f)", outcome.result().membershipInference().auc()))
                .xAxisTitle("audit example loss (classifier: of its label; LM: mean per token)").yAxisTitle("examples").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisDecimalPattern("0.0");
        chart.getStyler().setXAxisLabelRotation(90);
        double[] all = concat(outcome.includedLosses(), outcome.excludedLosses());
        if (all.length == 0) {
            chart.addSeries("no audit examples", List.of(0.0), List.of(0.0));
            return chart;
        }
        double min = Arrays.stream(all).min().orElseThrow();
        double max = Arrays.stream(all).max().orElseThrow();
        if (!(max > min)) {
            max = min + 1;
        }
        addHistogram(chart, "included (members)", outcome.includedLosses(), min, max);
        addHistogram(chart, "excluded (non-members)", outcome.excludedLosses(), min, max);
        return chart;
    }

    private static void addHistogram(CategoryChart chart, String name, double[] losses, double min, double max) {
        if (losses.length == 0) {
            return;
        }
        Histogram histogram = new Histogram(Arrays.stream(losses).boxed().toList(), BINS, min, max);
        chart.addSeries(name, histogram.getxAxisData(), histogram.getyAxisData());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
