package org.dplstm.training.session;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.privacy.rdp.TruncatedNegativeBinomial;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.DpSgdTrainer;
import org.dplstm.training.dpsgd.EpochSummary;
import org.dplstm.training.dpsgd.NonFiniteTrainingException;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.StepProgress;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.dpsgd.TrainingResult;
import org.dplstm.training.model.DifferentiableModel;
import org.dplstm.training.tuning.GridPoint;
import org.dplstm.training.tuning.TrialRandomness;
import org.dplstm.training.tuning.TuningRecord;
import org.dplstm.training.tuning.TuningSettings;

/**
 * The trials of a tuned run (Papernot and Steinke 2022; ARCHITECTURE §4.1): K ~ D_{η,γ} drawn
 * once, then K times a fresh model trained under the run's plan (same q, steps, σ) at a grid point
 * drawn uniformly, scored by its validation correct-count plus Gaussian noise; the trial with the
 * highest noisy score is kept, the others' engine memory freed. Every choice is secure randomness.
 */
final class TunedTrials<M extends DifferentiableModel> {

    /** A trial's trainer for a fresh model (started from the run's initial weights) and the trial's configuration. */
    interface Trainers<M> {
        DpSgdTrainer create(M model, DpSgdConfig trialConfig) throws IOException;
    }

    /**
     * The chosen trial's model, the run's result (the tuned ε under RDP) and the tuning section;
     * {@code stopped} is set when even the chosen trial's weights became non-finite.
     */
    record Outcome<M>(M model, TrainingResult result, Map<String, Object> record, NonFiniteTrainingException stopped) {}

    private final TuningSettings tuning;
    private final TrialRandomness randomness;
    private final DpSgdConfig config;
    private final PreparedTextRun<?> run;
    private final TrainingSession.Task<M> task;
    private final NDManager manager;
    private final List<TrainingListener> listeners;
    private final Trainers<M> trainers;

    TunedTrials(TuningSettings tuning, TrialRandomness randomness, DpSgdConfig config, PreparedTextRun<?> run,
            TrainingSession.Task<M> task, NDManager manager, List<TrainingListener> listeners, Trainers<M> trainers) {
        this.tuning = tuning;
        this.randomness = randomness;
        this.config = config;
        this.run = run;
        this.task = task;
        this.manager = manager;
        this.listeners = listeners;
        this.trainers = trainers;
    }

    Outcome<M> run(long seed) throws IOException {
        PrivacyPlan plan = run.plan();
        TruncatedNegativeBinomial distribution = plan.tuning().trials();
        double scoreNoise = plan.tuning().scoreNoiseMultiplier();
        List<GridPoint> grid = tuning.grid(config);
        TuningRecord record = new TuningRecord(distribution, scoreNoise, grid);
        long trials = randomness.trialCount(distribution);
        M best = null;
        NDManager bestScope = null;
        TrainingResult bestResult = null;
        NonFiniteTrainingException bestStopped = null;
        double seconds = 0;
        for (int trial = 0; trial < trials; trial++) {
            int point = randomness.gridIndex(grid.size());
            for (TrainingListener listener : listeners) {
                listener.onTrialStart(trial + 1, trials, grid.get(point).toMap());
            }
            NDManager scope = manager.newSubManager();
            M model = task.newModel(run.modelConfig(), scope, seed + trial);
            TrainingResult result;
            NonFiniteTrainingException stopped = null;
            try {
                result = trainers.create(model, grid.get(point).applyTo(config)).fit(run.train(), run.valid(), plan);
            } catch (NonFiniteTrainingException e) {
                // A trial at a too large learning rate: it ranks below every finite trial.
                stopped = e;
                result = e.result().orElseThrow(() -> e);
            }
            seconds += result.trainSeconds();
            long correct = stopped != null || Double.isNaN(result.validAccuracy()) ? 0
                    : Math.round(result.validAccuracy() * run.valid().size());
            if (record.add(point, randomness.noisyScore(correct, scoreNoise), stopped == null)) {
                if (bestScope != null) {
                    bestScope.close();
                }
                best = model;
                bestScope = scope;
                bestResult = result;
                bestStopped = stopped;
            } else {
                scope.close();
            }
        }
        TrainingResult result = tunedResult(bestResult, plan, seconds);
        Map<String, Object> section = record.toMap();
        section.put("epsilon", result.epsilon());
        return new Outcome<>(best, result, section, bestStopped);
    }

    /**
     * The chosen trial's figures with the run's privacy: the history is one repeated selection of
     * full trials (each trial ran at most the planned steps), the ε its RDP bound; each epoch's ε
     * is the tuned ε of trials that long.
     */
    private static TrainingResult tunedResult(TrainingResult chosen, PrivacyPlan plan, double seconds) {
        double epsilon = epsilonAfter(plan, plan.plannedSteps());
        List<EpochSummary> epochs = chosen.epochs().stream().map(e -> new EpochSummary(e.epoch(), e.steps(),
                epsilonAfter(plan, e.steps()), e.validLoss(), e.validAccuracy(), e.validMetrics())).toList();
        return new TrainingResult(true, epsilon, Map.of("repeated_selection", epsilon), plan.delta(),
                plan.accountant(), plan.unit(), plan.noiseMultiplier(), plan.sampleRate(), plan.expectedBatchSize(),
                chosen.steps(), plan.plannedSteps(), chosen.stoppedByBudget(), chosen.validLoss(),
                chosen.validAccuracy(), seconds, epochs, plan.spentAfter(plan.plannedSteps()));
    }

    private static double epsilonAfter(PrivacyPlan plan, long steps) {
        PrivacyAccountant accountant = Accountants.newAccountant(plan.accountant());
        accountant.composeAll(plan.spentAfter(steps));
        return accountant.epsilon(plan.delta());
    }

    /** A trial's view of a listener: progress only (a trial's end is not the run's: no report, no run end). */
    static TrainingListener progressOnly(TrainingListener listener) {
        return new TrainingListener() {
            @Override
            public void onRunStart(PrivacyPlan plan, DpSgdConfig config, long resumedFromStep) {
                listener.onRunStart(plan, config, resumedFromStep);
            }

            @Override
            public void onStepEnd(StepProgress progress) {
                listener.onStepEnd(progress);
            }

            @Override
            public void onEpochEnd(EpochSummary summary) {
                listener.onEpochEnd(summary);
            }
        };
    }
}
