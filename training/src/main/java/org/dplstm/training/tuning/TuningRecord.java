package org.dplstm.training.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dplstm.privacy.rdp.TruncatedNegativeBinomial;

/**
 * What a tuned run did, as report.json's {@code tuning} section and the audit log's tuning event
 * state it: the distribution of the trial count, the trials run, the grid, each trial's grid
 * point and noisy score, the chosen trial. The trial count, the grid points and the noisy scores
 * are outputs of the accounted mechanism; nothing here is an exact figure of the validation set.
 */
public final class TuningRecord {

    private final TruncatedNegativeBinomial trials;
    private final double scoreNoise;
    private final List<GridPoint> grid;
    private final List<Integer> pointOfTrial = new ArrayList<>();
    private final List<Double> noisyScores = new ArrayList<>();
    private final List<Boolean> finite = new ArrayList<>();
    private int chosen = -1;

    public TuningRecord(TruncatedNegativeBinomial trials, double scoreNoise, List<GridPoint> grid) {
        this.trials = trials;
        this.scoreNoise = scoreNoise;
        this.grid = List.copyOf(grid);
    }

    /**
     * Records one trial; returns whether it is the best so far. The order on trials (the theorem
     * needs a fixed total order on a trial's outputs) is: finite weights before non-finite ones,
     * then the higher noisy score; ties keep the earlier trial.
     */
    public boolean add(int gridIndex, double noisyScore, boolean finiteWeights) {
        pointOfTrial.add(gridIndex);
        noisyScores.add(noisyScore);
        finite.add(finiteWeights);
        boolean best = chosen < 0 || (finiteWeights && !finite.get(chosen))
                || (finiteWeights == finite.get(chosen) && noisyScore > noisyScores.get(chosen));
        if (best) {
            chosen = noisyScores.size() - 1;
        }
        return best;
    }

    public int trialsRun() {
        return noisyScores.size();
    }

    /** The chosen trial (0-based). */
    public int chosenTrial() {
        return chosen;
    }

    public GridPoint chosenPoint() {
        return grid.get(pointOfTrial.get(chosen));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("mean_trials", trials.mean());
        map.put("distribution", "truncated_negative_binomial");
        map.put("eta", trials.eta());
        map.put("gamma", trials.gamma());
        map.put("trials_run", trialsRun());
        map.put("score", "validation correct count + N(0, " + scoreNoise + "^2)");
        map.put("score_noise", scoreNoise);
        map.put("grid", grid.stream().map(GridPoint::toMap).toList());
        List<Map<String, Object>> trialMaps = new ArrayList<>();
        for (int i = 0; i < trialsRun(); i++) {
            Map<String, Object> trial = new LinkedHashMap<>(grid.get(pointOfTrial.get(i)).toMap());
            trial.put("noisy_score", noisyScores.get(i));
            if (!finite.get(i)) {
                trial.put("finite", false);
            }
            trialMaps.add(trial);
        }
        map.put("trials", trialMaps);
        map.put("chosen_trial", chosen + 1);
        map.put("chosen", chosenPoint().toMap());
        map.put("accountant", "rdp");
        return map;
    }
}
