package org.dplstm.privacy.rdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;

/**
 * Rényi-DP accountant. RDP composes by addition at each order (Mironov 2017), so the history is
 * one running sum per order; the (epsilon, delta) conversion takes the best order. Not
 * thread-safe.
 */
public final class RdpAccountant implements PrivacyAccountant {

    /**
     * A fine grid 1.01 ... 256 plus large orders for small epsilon or tiny delta. More orders can
     * only lower the bound (each order gives a valid one).
     */
    static final double[] ORDERS = Stream.of(
                    DoubleStream.iterate(1.01, a -> a < 1.1 - 1e-9, a -> a + 0.01).toArray(),
                    DoubleStream.iterate(1.1, a -> a < 11 - 1e-9, a -> a + 0.05).toArray(),
                    DoubleStream.iterate(11, a -> a < 64 - 1e-9, a -> a + 0.5).toArray(),
                    DoubleStream.iterate(64, a -> a <= 256, a -> a + 4).toArray(),
                    new double[] {320, 384, 448, 512, 768, 1024, 1536, 2048, 4096})
            .flatMapToDouble(DoubleStream::of)
            .map(a -> Math.round(a * 100) / 100.0)
            .toArray();

    private final List<PrivacyEvent> history = new ArrayList<>();
    private final double[] totalRdp = new double[ORDERS.length];
    private final Map<PrivacyEvent.PoissonGaussian, double[]> perStepCache = new HashMap<>();
    private double thresholdDelta;

    @Override
    public AccountantKind kind() {
        return AccountantKind.RDP;
    }

    @Override
    public void compose(PrivacyEvent event) {
        if (event instanceof PrivacyEvent.PoissonGaussian step) {
            double[] perStep = perStepRdp(step.sampleRate(), step.noiseMultiplier());
            for (int i = 0; i < ORDERS.length; i++) {
                totalRdp[i] += step.count() * perStep[i];
            }
        } else if (event instanceof PrivacyEvent.Gaussian gaussian) {
            double sigma = gaussian.noiseMultiplier();
            for (int i = 0; i < ORDERS.length; i++) {
                totalRdp[i] += gaussian.count() * ORDERS[i] / (2 * sigma * sigma);
            }
        } else if (event instanceof PrivacyEvent.ThresholdDelta threshold) {
            thresholdDelta += threshold.delta();
        } else {
            throw new IllegalArgumentException("unknown privacy event " + event);
        }
        history.add(event);
    }

    @Override
    public List<PrivacyEvent> history() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    /** The RDP of the whole history at each of {@link #orders()}. */
    public double[] rdp() {
        return totalRdp.clone();
    }

    /** The Rényi orders this accountant tracks. */
    public static double[] orders() {
        return ORDERS.clone();
    }

    @Override
    public double epsilon(double delta) {
        double[] epsilons = epsilonPerOrder(delta);
        return Math.max(0, epsilons[argMin(epsilons)]);
    }

    /** The order that gives {@link #epsilon(double)}. */
    public double bestOrder(double delta) {
        return ORDERS[argMin(epsilonPerOrder(delta))];
    }

    /**
     * Inverts the conversion of Balle et al. 2020 (Thm 21) at each order, and also uses
     * delta <= sqrt(1 - exp(-RDP)) (from the KL bound, valid since D_alpha grows with alpha), as
     * Google's dp_accounting does.
     */
    @Override
    public double delta(double epsilon) {
        Checks.nonNegative("epsilon", epsilon);
        double bestLogDelta = 0;
        for (int i = 0; i < ORDERS.length; i++) {
            double alpha = ORDERS[i];
            double rdp = totalRdp[i];
            if (!Double.isFinite(rdp)) {
                continue;
            }
            double logDelta = 0.5 * Math.log(-Math.expm1(-rdp));
            double conversion = (alpha - 1) * (rdp - epsilon + Math.log1p(-1 / alpha)) - Math.log(alpha);
            bestLogDelta = Math.min(bestLogDelta, Math.min(logDelta, conversion));
        }
        return Math.min(1, Math.exp(bestLogDelta) + thresholdDelta);
    }

    /** eps(alpha) = rdp + log((alpha-1)/alpha) - (log delta + log alpha)/(alpha - 1) (Balle et al. 2020). */
    private double[] epsilonPerOrder(double delta) {
        Checks.openUnitInterval("delta", delta);
        double mechanismDelta = delta - thresholdDelta;
        if (!(mechanismDelta > 0)) {
            throw new IllegalArgumentException("delta must be larger than the threshold deltas already spent ("
                    + thresholdDelta + "), was " + delta);
        }
        double logDelta = Math.log(mechanismDelta);
        double[] epsilons = new double[ORDERS.length];
        for (int i = 0; i < ORDERS.length; i++) {
            double alpha = ORDERS[i];
            double eps = totalRdp[i] + Math.log1p(-1 / alpha) - (logDelta + Math.log(alpha)) / (alpha - 1);
            epsilons[i] = Double.isNaN(eps) ? Double.POSITIVE_INFINITY : eps;
        }
        return epsilons;
    }

    private static int argMin(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return best;
    }

    private double[] perStepRdp(double sampleRate, double noiseMultiplier) {
        return perStepCache.computeIfAbsent(new PrivacyEvent.PoissonGaussian(sampleRate, noiseMultiplier, 1), key -> {
            double[] perStep = new double[ORDERS.length];
            for (int i = 0; i < ORDERS.length; i++) {
                perStep[i] = SubsampledGaussianRdp.rdp(sampleRate, noiseMultiplier, ORDERS[i]);
            }
            return perStep;
        });
    }
}
