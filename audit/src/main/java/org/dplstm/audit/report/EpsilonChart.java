package org.dplstm.audit.report;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** ε against DP-SGD steps, one line per accountant, as a PNG (XChart, rendered headless). */
public final class EpsilonChart {

    private EpsilonChart() {}

    /** Whether {@code points} hold an ε to draw (a run without privacy has none): else {@link #png} is empty. */
    public static boolean hasCurve(List<EpsilonPoint> points) {
        return !points.stream().allMatch(p -> p.epsilonByAccountant().isEmpty());
    }

    /**
     * PNG bytes of the chart, or empty when there is no ε to draw (no epochs, or a run without
     * privacy, whose epochs record none: an empty chart would only look like one).
     */
    public static byte[] png(List<EpsilonPoint> points, double plannedEpsilon) throws IOException {
        if (!hasCurve(points)) {
            return new byte[0];
        }
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(720).height(420)
                .title("Privacy spent: epsilon against steps").xAxisTitle("steps").yAxisTitle("epsilon").build();
        chart.getStyler().setLegendVisible(true);
        TreeSet<String> accountants = new TreeSet<>();
        points.forEach(p -> accountants.addAll(p.epsilonByAccountant().keySet()));
        for (String accountant : accountants) {
            List<EpsilonPoint> withValue = points.stream().filter(p -> p.epsilonByAccountant().containsKey(accountant)).toList();
            double[] steps = withValue.stream().mapToDouble(EpsilonPoint::steps).toArray();
            double[] epsilon = withValue.stream().mapToDouble(p -> p.epsilonByAccountant().get(accountant)).toArray();
            chart.addSeries(accountant.toUpperCase(java.util.Locale.ROOT), steps, epsilon).setMarker(SeriesMarkers.CIRCLE);
        }
        if (Double.isFinite(plannedEpsilon)) {
            double first = points.get(0).steps();
            double last = points.get(points.size() - 1).steps();
            chart.addSeries("planned", new double[] {Math.min(0, first), last}, new double[] {plannedEpsilon, plannedEpsilon})
                    .setMarker(SeriesMarkers.NONE);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    static Map<String, Double> last(List<EpsilonPoint> points) {
        return points.isEmpty() ? Map.of() : points.get(points.size() - 1).epsilonByAccountant();
    }
}
