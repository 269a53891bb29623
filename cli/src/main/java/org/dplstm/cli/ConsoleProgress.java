package org.dplstm.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import org.dplstm.training.dpsgd.DpSgdConfig;
import org.dplstm.training.dpsgd.EpochSummary;
import org.dplstm.training.dpsgd.PrivacyPlan;
import org.dplstm.training.dpsgd.StepProgress;
import org.dplstm.training.dpsgd.TrainingListener;
import org.dplstm.training.dpsgd.TrainingResult;

/**
 * A progress bar per epoch on standard error: steps, the training loss and accuracy measured on
 * part of recent batches (local console only: not differentially private, never logged), and ε
 * spent as of the last epoch end; one line per finished epoch with validation figures (for a
 * language model or an encoder-decoder its perplexity, exp of the mean per-token loss, with the
 * per-token accuracy, and any further figures such as BLEU).
 */
final class ConsoleProgress implements TrainingListener {

    private final PrintStream err;
    private ProgressBar bar;
    private int barEpoch;
    private double lastLoss = Double.NaN;
    private double lastAccuracy = Double.NaN;
    private double epsilon = Double.NaN;
    private boolean isPrivate;
    private final boolean languageModel;

    ConsoleProgress(PrintStream err, boolean languageModel) {
        this.err = err;
        this.languageModel = languageModel;
    }

    @Override
    public void onRunStart(PrivacyPlan plan, DpSgdConfig config, long resumedFromStep) {
        isPrivate = plan.isPrivate();
        if (resumedFromStep > 0) {
            err.printf(Locale.ROOT, "resuming at step %d of %d%n", resumedFromStep, plan.plannedSteps());
        }
    }

    @Override
    public void onStepEnd(StepProgress progress) {
        if (bar == null || barEpoch != progress.epoch()) {
            closeBar();
            barEpoch = progress.epoch();
            bar = ProgressBars.builder("epoch " + progress.epoch(), progress.stepsInEpoch(), err)
                    .continuousUpdate()
                    .build();
            bar.stepTo(progress.stepInEpoch() - 1);
        }
        if (!Double.isNaN(progress.trainLoss())) {
            lastLoss = progress.trainLoss();
            lastAccuracy = progress.trainAccuracy();
        }
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " train loss %.3f acc %.3f%s", lastLoss, lastAccuracy,
                isPrivate ? String.format(Locale.ROOT, " eps %.3f", Double.isNaN(epsilon) ? 0.0 : epsilon) : ""));
    }

    @Override
    public void onEpochEnd(EpochSummary summary) {
        closeBar();
        epsilon = summary.epsilon();
        String validation = languageModel
                ? String.format(Locale.ROOT, "valid perplexity %s, token accuracy %s", figure(Math.exp(summary.validLoss())),
                        figure(summary.validAccuracy()))
                : String.format(Locale.ROOT, "valid accuracy %s, valid loss %s", figure(summary.validAccuracy()),
                        figure(summary.validLoss()));
        StringBuilder metrics = new StringBuilder();
        new java.util.TreeMap<>(summary.validMetrics()).forEach((name, value) ->
                metrics.append(String.format(Locale.ROOT, ", %s %.2f", name, value)));
        err.printf(Locale.ROOT, "epoch %d: %d steps, %s%s%s%n", summary.epoch(), summary.steps(), validation, metrics,
                isPrivate ? String.format(Locale.ROOT, ", epsilon %.3f", summary.epsilon()) : "");
    }

    @Override
    public void onTrialStart(int trial, long trials, Map<String, Object> point) {
        closeBar();
        err.printf(Locale.ROOT, "trial %d of %d: lr %s, max grad norm %s (epsilon below is one trial's; the"
                + " tuned total is in the plan)%n", trial, trials, point.get("lr"), point.get("max_grad_norm"));
    }

    @Override
    public void onBudgetRefused(long steps, double spent, double cap) {
        closeBar();
        err.printf(Locale.ROOT, "budget exhausted: stopping after %d steps (epsilon %.3f, cap %.3f)%n", steps, spent, cap);
    }

    @Override
    public void onRunEnd(TrainingResult result) {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private static String figure(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }
}
