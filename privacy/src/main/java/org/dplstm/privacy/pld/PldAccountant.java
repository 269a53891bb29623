package org.dplstm.privacy.pld;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.HistoryOutOfRangeException;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;

/**
 * Privacy-loss-distribution accountant (Koskela, Jälkö and Honkela 2020; Google's dp_accounting):
 * each mechanism's loss is discretised pessimistically ("connect the dots", Doroshenko et al.
 * 2022) on a common grid, self-composed by FFT, and the mechanisms are convolved together; the
 * add and the remove direction are tracked separately and the worse is reported. Tight to well
 * under 1% of epsilon and never optimistic. The composed distribution is built lazily and cached
 * until the history changes. Not thread-safe.
 */
public final class PldAccountant implements PrivacyAccountant {

    /**
     * Grid interval as a fraction of the per-step standard deviation of the loss. Discretisation
     * adds at most interval^2/4 of variance per step and shifts the mean by at most interval^2/8
     * (the split keeps each cell's P and Q mass), so 1/20 bounds the relative error of the
     * composed loss's variance by 1/1600 and of its mean (half its variance for Gaussian-like
     * losses) by about 1/800. Measured on the ARCHITECTURE §4 table: 1.2e-4 to 2.2e-4 above the
     * reference; 1/40 gave 3e-5 to 5e-5 at about twice the cost.
     */
    private static final double INTERVAL_PER_STD = 1.0 / 20;
    /** Mass moved up or to infinity at each truncation: negligible against any useful delta. */
    private static final double TAIL = 1e-18;
    /**
     * The most points of one step's grid and of the composed loss's spread; coarser grids are
     * used beyond it. It equals the largest FFT ({@link Fft#MAX_SIZE}), so a history whose losses
     * are roughly Gaussian always fits; heavy-tailed ones (tiny noise multipliers) may not.
     */
    private static final long MAX_GRID = Fft.MAX_SIZE;

    private final List<PrivacyEvent> history = new ArrayList<>();
    /** Total steps per distinct (sample rate, noise multiplier); Gaussian releases have rate 1. */
    private final Map<Mechanism, Long> stepsByMechanism = new LinkedHashMap<>();
    private double thresholdDelta;
    private List<DiscretePld> composed; // one per direction, null until needed

    private record Mechanism(double sampleRate, double noiseMultiplier) {}

    @Override
    public AccountantKind kind() {
        return AccountantKind.PLD;
    }

    @Override
    public void compose(PrivacyEvent event) {
        if (event instanceof PrivacyEvent.PoissonGaussian step) {
            add(new Mechanism(step.sampleRate(), step.noiseMultiplier()), step.count());
        } else if (event instanceof PrivacyEvent.Gaussian gaussian) {
            add(new Mechanism(1, gaussian.noiseMultiplier()), gaussian.count());
        } else if (event instanceof PrivacyEvent.ThresholdDelta threshold) {
            thresholdDelta += threshold.delta();
        } else if (event instanceof PrivacyEvent.RepeatedSelection) {
            throw new IllegalArgumentException("the pld accountant has no bound for private tuning (repeated"
                    + " selection, e.g. a --tune run); use the rdp accountant");
        } else {
            throw new IllegalArgumentException("unknown privacy event " + event);
        }
        history.add(event);
    }

    private void add(Mechanism mechanism, long count) {
        if (count > 0) {
            stepsByMechanism.merge(mechanism, count, Long::sum);
            composed = null;
        }
    }

    @Override
    public boolean supports(PrivacyEvent event) {
        return !(event instanceof PrivacyEvent.RepeatedSelection);
    }

    @Override
    public List<PrivacyEvent> history() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    @Override
    public double epsilon(double delta) {
        Checks.delta("delta", delta);
        double mechanismDelta = delta - thresholdDelta;
        if (!(mechanismDelta > 0)) {
            throw new IllegalArgumentException("delta must be larger than the threshold deltas already spent ("
                    + thresholdDelta + "), was " + delta);
        }
        double epsilon = 0;
        for (DiscretePld direction : composed()) {
            epsilon = Math.max(epsilon, direction.epsilon(mechanismDelta));
        }
        if (Double.isNaN(epsilon)) { // never report what cannot be trusted
            throw new HistoryOutOfRangeException(tooLarge("its arithmetic gave NaN"));
        }
        return epsilon;
    }

    @Override
    public double delta(double epsilon) {
        Checks.nonNegative("epsilon", epsilon);
        double delta = 0;
        for (DiscretePld direction : composed()) {
            delta = Math.max(delta, direction.delta(epsilon));
        }
        if (Double.isNaN(delta)) {
            throw new HistoryOutOfRangeException(tooLarge("its arithmetic gave NaN"));
        }
        return Math.min(1, delta + thresholdDelta);
    }

    /**
     * @throws HistoryOutOfRangeException when the loss grid would need a transform beyond
     *     {@link Fft#MAX_SIZE} points (checked before it is allocated) or more memory than the heap has
     */
    private List<DiscretePld> composed() {
        if (composed == null && !stepsByMechanism.isEmpty()) {
            double interval = gridInterval();
            List<DiscretePld> directions = new ArrayList<>();
            try {
                for (SubsampledGaussianLoss.Direction direction : SubsampledGaussianLoss.Direction.values()) {
                    directions.add(composeDirection(direction, interval));
                }
            } catch (HistoryOutOfRangeException e) {
                throw new HistoryOutOfRangeException(tooLarge("it would need " + e.getMessage()), e);
            } catch (OutOfMemoryError e) {
                // Below the size limit a small heap can still run out; the arrays that filled it
                // are garbage once we leave.
                throw new HistoryOutOfRangeException(tooLarge("the heap ran out of memory on a grid of interval " + interval)
                        + ", or give Java more heap (e.g. DPLSTM_JAVA_OPTS=-Xmx8g)", e);
            }
            composed = directions;
        }
        return composed == null ? List.of() : composed;
    }

    /** The refusal, naming every mechanism of the history and what to do instead. */
    private String tooLarge(String why) {
        StringBuilder mechanisms = new StringBuilder();
        for (Map.Entry<Mechanism, Long> entry : stepsByMechanism.entrySet()) {
            mechanisms.append(mechanisms.length() == 0 ? "" : "; ")
                    .append("sample rate ").append(entry.getKey().sampleRate())
                    .append(", noise multiplier ").append(entry.getKey().noiseMultiplier())
                    .append(", ").append(entry.getValue()).append(entry.getValue() == 1 ? " step" : " steps");
        }
        return "the PLD accountant cannot compose " + mechanisms + ": the noise is too small for its privacy-loss grid ("
                + why + "); use more noise (a larger noise multiplier, or a smaller target epsilon) or the RDP"
                + " accountant (--accountant rdp)";
    }

    private DiscretePld composeDirection(SubsampledGaussianLoss.Direction direction, double interval) {
        DiscretePld total = null;
        for (Map.Entry<Mechanism, Long> entry : stepsByMechanism.entrySet()) {
            Mechanism mechanism = entry.getKey();
            SubsampledGaussianLoss loss =
                    new SubsampledGaussianLoss(mechanism.sampleRate(), mechanism.noiseMultiplier(), direction);
            DiscretePld steps = DiscretePld.connectTheDots(loss, interval).selfCompose(entry.getValue(), TAIL);
            total = total == null ? steps : total.convolve(steps, TAIL);
        }
        return total;
    }

    /**
     * One grid for the whole history, fine against the spread of the composed loss per step:
     * interval = INTERVAL_PER_STD * sqrt(sum_i T_i s_i^2 / sum_i T_i), s_i the per-step standard
     * deviation of mechanism i's loss (the smaller of the two directions). Coarsened when a
     * single step's loss range or the composed spread would need more than MAX_GRID points.
     */
    private double gridInterval() {
        double steps = 0;
        double variance = 0;
        double widestStep = 0;
        for (Map.Entry<Mechanism, Long> entry : stepsByMechanism.entrySet()) {
            Mechanism mechanism = entry.getKey();
            double std = Double.POSITIVE_INFINITY;
            for (SubsampledGaussianLoss.Direction direction : SubsampledGaussianLoss.Direction.values()) {
                SubsampledGaussianLoss loss =
                        new SubsampledGaussianLoss(mechanism.sampleRate(), mechanism.noiseMultiplier(), direction);
                std = Math.min(std, loss.lossStandardDeviation());
                double[] range = loss.lossRange();
                widestStep = Math.max(widestStep, range[1] - range[0]);
            }
            steps += entry.getValue();
            variance += entry.getValue() * std * std;
        }
        double interval = INTERVAL_PER_STD * Math.sqrt(variance / steps);
        // The composed window spans about +-10 standard deviations of the composed loss.
        double composedSpan = 20 * Math.sqrt(variance);
        double needed = Math.max(widestStep, composedSpan) / MAX_GRID;
        return Math.max(Math.max(interval, needed), 1e-12);
    }
}
