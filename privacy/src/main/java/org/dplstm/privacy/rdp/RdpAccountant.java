package org.dplstm.privacy.rdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.function.DoubleUnaryOperator;
import java.util.concurrent.ConcurrentHashMap;
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

    /** Integer orders past the best before the scan stops. */
    private static final int PATIENCE = 4;

    private final List<PrivacyEvent> history = new ArrayList<>();
    /** Steps per distinct (sample rate, noise multiplier); the count field holds the total. */
    private final Map<SubsampledGaussian, Long> stepsByMechanism = new LinkedHashMap<>();
    /** Sum over Gaussian releases of count / sigma^2: their RDP is alpha times half of it. */
    private double gaussianPrecision;
    private double thresholdDelta;
    /** Each private tuning composed so far (Papernot and Steinke 2022, Theorem 2). */
    private final List<TunedRdp> tunings = new ArrayList<>();

    private record SubsampledGaussian(double sampleRate, double noiseMultiplier) {}

    /** One step's RDP per order, per mechanism; shared by all accountants (pure function values). */
    private static final Map<SubsampledGaussian, Map<Double, Double>> PER_STEP_CACHE = new ConcurrentHashMap<>();

    @Override
    public AccountantKind kind() {
        return AccountantKind.RDP;
    }

    @Override
    public void compose(PrivacyEvent event) {
        if (event instanceof PrivacyEvent.PoissonGaussian step) {
            if (step.sampleRate() == 1) {
                gaussianPrecision += step.count() / (step.noiseMultiplier() * step.noiseMultiplier());
            } else if (step.count() > 0) {
                stepsByMechanism.merge(new SubsampledGaussian(step.sampleRate(), step.noiseMultiplier()),
                        step.count(), Long::sum);
            }
        } else if (event instanceof PrivacyEvent.Gaussian gaussian) {
            gaussianPrecision += gaussian.count() / (gaussian.noiseMultiplier() * gaussian.noiseMultiplier());
        } else if (event instanceof PrivacyEvent.ThresholdDelta threshold) {
            thresholdDelta += threshold.delta();
        } else if (event instanceof PrivacyEvent.RepeatedSelection tuning) {
            tunings.add(TunedRdp.of(tuning.trial(), TruncatedNegativeBinomial.of(tuning.eta(), tuning.gamma())));
        } else {
            throw new IllegalArgumentException("unknown privacy event " + event);
        }
        history.add(event);
    }

    @Override
    public List<PrivacyEvent> history() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    /** The Rényi orders this accountant may use. */
    public static double[] orders() {
        return ORDERS.clone();
    }

    /** The RDP of the whole history at {@code order} (> 1): the sum of its events' RDP. */
    public double rdp(double order) {
        if (!(order > 1)) {
            throw new IllegalArgumentException("order must be > 1, was " + order);
        }
        double total = order * gaussianPrecision / 2;
        for (Map.Entry<SubsampledGaussian, Long> entry : stepsByMechanism.entrySet()) {
            SubsampledGaussian mechanism = entry.getKey();
            double perStep = PER_STEP_CACHE
                    .computeIfAbsent(mechanism, key -> new ConcurrentHashMap<>())
                    .computeIfAbsent(order, alpha -> SubsampledGaussianRdp.rdp(
                            mechanism.sampleRate(), mechanism.noiseMultiplier(), alpha));
            total += entry.getValue() * perStep;
        }
        for (TunedRdp tuning : tunings) {
            total += tuning.rdp(order);
        }
        return total;
    }

    @Override
    public double epsilon(double delta) {
        return Math.max(0, bestEpsilonAndOrder(delta)[0]);
    }

    /** The order that gives {@link #epsilon(double)}. */
    public double bestOrder(double delta) {
        return bestEpsilonAndOrder(delta)[1];
    }

    /**
     * Inverts the conversion of Balle et al. 2020 (Thm 21) at each order, and also uses
     * delta <= sqrt(1 - exp(-RDP)) (from the KL bound, valid since D_alpha grows with alpha), as
     * Google's dp_accounting does.
     */
    @Override
    public double delta(double epsilon) {
        Checks.nonNegative("epsilon", epsilon);
        double best = search(alpha -> {
            double rdp = rdp(alpha);
            if (!Double.isFinite(rdp)) {
                return 0;
            }
            double klBound = 0.5 * Math.log(-Math.expm1(-rdp));
            double conversion = (alpha - 1) * (rdp - epsilon + Math.log1p(-1 / alpha)) - Math.log(alpha);
            return Math.min(0, Math.min(klBound, conversion));
        })[0];
        return Math.min(1, Math.exp(best) + thresholdDelta);
    }

    /**
     * {epsilon, order}: eps(alpha) = rdp + log((alpha-1)/alpha) - (log delta + log alpha)/(alpha - 1),
     * or 0 where the KL bound already meets delta (as in {@link #delta(double)}, and as Google's
     * dp_accounting's compute_epsilon does): KL <= D_alpha at every order, so once delta^2 >
     * 1 - exp(-RDP) the pair (0, delta) holds. The RDP grows with the order, so the smallest order
     * decides; without this, degenerate plans (tiny q, loose delta) report a small positive
     * epsilon where the exact one is 0.
     */
    private double[] bestEpsilonAndOrder(double delta) {
        Checks.openUnitInterval("delta", delta);
        double mechanismDelta = delta - thresholdDelta;
        if (!(mechanismDelta > 0)) {
            throw new IllegalArgumentException("delta must be larger than the threshold deltas already spent ("
                    + thresholdDelta + "), was " + delta);
        }
        return epsilonAndOrder(this::rdp, mechanismDelta);
    }

    /**
     * {epsilon, order} of any RDP curve at {@code delta}: the conversion every RDP figure of the
     * project uses (this accountant's and {@link TunedRdp}'s).
     */
    static double[] epsilonAndOrder(DoubleUnaryOperator rdp, double delta) {
        if (delta * delta + Math.expm1(-rdp.applyAsDouble(ORDERS[0])) > 0) {
            return new double[] {0, ORDERS[0]};
        }
        double logDelta = Math.log(delta);
        return search(alpha -> {
            double eps = rdp.applyAsDouble(alpha) + Math.log1p(-1 / alpha) - (logDelta + Math.log(alpha)) / (alpha - 1);
            return Double.isNaN(eps) ? Double.POSITIVE_INFINITY : eps;
        });
    }

    /**
     * {min, argmin} of a bound over the order grid. Integer orders are cheap (a finite binomial
     * sum), fractional ones need slowly converging series. The bound is unimodal in alpha in
     * practice (a convex increasing RDP curve plus a decreasing log(1/delta)/(alpha-1)), so the
     * search scans integer orders upwards until the bound has exceeded its minimum at
     * {@code PATIENCE} orders in a row, then golden-section searches the fractional orders within
     * one of the best integer. Every order yields a valid bound, so a search that missed the
     * exact optimum would only be looser, never unsafe.
     */
    static double[] search(DoubleUnaryOperator bound) {
        double bestValue = Double.POSITIVE_INFINITY;
        double bestOrder = ORDERS[0];
        int worseInARow = 0;
        for (double alpha : ORDERS) {
            if (alpha != Math.rint(alpha)) {
                continue;
            }
            double value = bound.applyAsDouble(alpha);
            if (value < bestValue) {
                bestValue = value;
                bestOrder = alpha;
                worseInARow = 0;
            } else if (++worseInARow >= PATIENCE) {
                break;
            }
        }
        // Golden-section search over the indices of the fractional orders in (best - 1, best + 1).
        int low = 0;
        while (low < ORDERS.length && ORDERS[low] <= bestOrder - 1) {
            low++;
        }
        int high = low;
        while (high + 1 < ORDERS.length && ORDERS[high + 1] < bestOrder + 1) {
            high++;
        }
        Map<Integer, Double> seen = new HashMap<>();
        DoubleUnaryOperator atIndex = i -> seen.computeIfAbsent((int) i, k -> bound.applyAsDouble(ORDERS[k]));
        while (high - low > 2) {
            int left = low + (int) Math.round((high - low) * 0.381966);
            int right = high - (int) Math.round((high - low) * 0.381966);
            if (right <= left) {
                right = left + 1;
            }
            if (atIndex.applyAsDouble(left) <= atIndex.applyAsDouble(right)) {
                high = right;
            } else {
                low = left;
            }
        }
        for (int i = low; i <= high && i < ORDERS.length; i++) {
            double value = atIndex.applyAsDouble(i);
            if (value < bestValue) {
                bestValue = value;
                bestOrder = ORDERS[i];
            }
        }
        return new double[] {bestValue, bestOrder};
    }
}
