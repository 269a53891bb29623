package org.dplstm.training.tuning;

import java.util.ArrayList;
import java.util.List;
import org.dplstm.privacy.Checks;
import org.dplstm.privacy.rdp.TruncatedNegativeBinomial;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.PrivacyPlan;

/**
 * {@code train --tune K}: private hyperparameter tuning with a random number of trials of mean K
 * (Papernot and Steinke 2022; ARCHITECTURE §4.1). Immutable.
 *
 * <ul>
 *   <li>Trials: K ~ D_{η,γ} with η = {@value #ETA} (the logarithmic distribution), γ solved from
 *       E[K] = K. Of the shapes the theorem allows, η = 0 has the smallest selection term
 *       (1+η)(...) for a given mean: at the same mean it costs the least ε.
 *   <li>Grid: the run's learning rate and clipping norm, each times 0.5, 1 or 2 (9 points); each
 *       trial picks one uniformly at random.
 *   <li>Score: the trial's validation correct-count plus Gaussian noise of standard deviation
 *       {@value #SCORE_NOISE} (sensitivity 1: one validation example changes the count by at most
 *       one), whose RDP λ/(2·{@value #SCORE_NOISE}²) is part of every trial's cost. The validation
 *       set is private data; 10 is a fixed public choice: it blurs the accuracy of a 1,000-example
 *       validation set by about 1 point and costs 0.05 RDP at order 10.
 * </ul>
 */
public final class TuningSettings {

    /** The truncated negative binomial's shape. */
    public static final double ETA = 0;
    /** The selection score's noise standard deviation, in validation examples. */
    public static final double SCORE_NOISE = 10;
    private static final double[] FACTORS = {0.5, 1, 2};

    private final double meanTrials;

    private TuningSettings(double meanTrials) {
        this.meanTrials = meanTrials;
    }

    /** Tuning with a mean of {@code meanTrials} (>= 1) trials. */
    public static TuningSettings withMeanTrials(double meanTrials) {
        Checks.finite("mean trials", meanTrials);
        if (!(meanTrials >= 1)) {
            throw new IllegalArgumentException("mean trials must be >= 1, was " + meanTrials);
        }
        return new TuningSettings(meanTrials);
    }

    public double meanTrials() {
        return meanTrials;
    }

    /** D_{η,γ} with E[K] = the mean asked for. */
    public TruncatedNegativeBinomial trials() {
        return TruncatedNegativeBinomial.withMean(ETA, meanTrials);
    }

    /** What the privacy plan accounts for. */
    public PrivacyPlan.Tuning privacyTuning() {
        return new PrivacyPlan.Tuning(trials(), SCORE_NOISE);
    }

    /** The grid around the run's own learning rate and clipping norm. */
    public List<GridPoint> grid(DpSgdConfig config) {
        List<GridPoint> grid = new ArrayList<>();
        for (double lr : FACTORS) {
            for (double clip : FACTORS) {
                grid.add(new GridPoint(lr * config.learningRate(), clip * config.maxGradNorm()));
            }
        }
        return grid;
    }
}
