package org.dplstm.audit.report;

import java.util.Locale;

/** The run's privacy guarantee in plain words, for people who do not read ε. */
public final class Guarantee {

    private Guarantee() {}

    public static String describe(RunReport report) {
        if (!report.privateRun()) {
            return "This model was trained WITHOUT differential privacy. There is no formal guarantee: "
                    + "it may memorise rare training records and reveal them to anyone who can query it.";
        }
        if (!report.finished()) {
            return "This run did not finish (its audit log has no run_end), so no final privacy guarantee is stated; "
                    + "the privacy spent so far is shown epoch by epoch below.";
        }
        String unit = "user".equals(report.privacyUnit())
                ? "one user (all of that user's examples together)"
                : "one training example (a person with k examples is protected as a group, at about k times ε)";
        String accountant = report.accountant().isEmpty() ? "an unnamed" : report.accountant().toUpperCase(Locale.ROOT);
        double epsilon = report.guaranteedEpsilon();
        String unsupported = "";
        if (report.epsilonDisputed()) {
            unsupported = report.epsilon() < epsilon
                    ? String.format(Locale.ROOT, " (run_end claims %.3f, which the privacy events it records do not "
                            + "support: this ε is what they compose to)", report.epsilon())
                    : String.format(Locale.ROOT, " (the privacy events run_end records compose to only %.3f, so they "
                            + "do not account for the whole run: the larger figure, run_end's, is stated)",
                            report.epsilonRecomputed());
        }
        return String.format(Locale.ROOT,
                "This model was trained with (ε = %.3f, δ = %s)-differential privacy, protecting %s, "
                        + "as computed by the %s accountant%s. Whatever anyone does with the model, adding or "
                        + "removing that unit's data changes the probability of any outcome by at most a factor "
                        + "e^ε = %.2f, except with probability at most δ. So nothing learned from the model "
                        + "about one person's data can be much more certain than it would have been had that "
                        + "data never been used.",
                epsilon, formatDelta(report.delta()), unit, accountant, unsupported, Math.exp(epsilon));
    }

    static String formatDelta(double delta) {
        return Double.isNaN(delta) ? "n/a" : String.format(Locale.ROOT, "%.3g", delta);
    }
}
