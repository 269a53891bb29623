package org.dplstm.cli;

import java.util.Locale;
import java.util.Map;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.calibration.NoiseCalibrator;
import org.dplstm.privacy.calibration.TrainingPlan;

/** Renders the result of {@code dplstm budget} as text, JSON or markdown. */
record BudgetReport(TrainingPlan plan, double noiseMultiplier, double delta, Map<AccountantKind, Double> epsilons,
        double rdpOrder, AccountantKind calibratedWith, Double targetEpsilon) {

    /** {"sample_rate":…, "noise_multiplier":…, "steps":…, "delta":…, "epsilon":{…}, "rdp_order":…}. */
    String json() {
        StringBuilder json = new StringBuilder("{");
        json.append("\"sample_rate\": ").append(number(plan.sampleRate()));
        json.append(", \"noise_multiplier\": ").append(number(noiseMultiplier));
        json.append(", \"steps\": ").append(plan.steps());
        json.append(", \"delta\": ").append(number(delta));
        json.append(", \"epsilon\": {");
        String separator = "";
        for (Map.Entry<AccountantKind, Double> entry : epsilons.entrySet()) {
            json.append(separator).append('"').append(entry.getKey().id()).append("\": ").append(number(entry.getValue()));
            separator = ", ";
        }
        json.append('}');
        if (epsilons.containsKey(AccountantKind.RDP)) {
            json.append(", \"rdp_order\": ").append(number(rdpOrder));
        }
        return json.append("}\n").toString();
    }

    String text() {
        StringBuilder text = new StringBuilder();
        text.append("DP-SGD privacy budget (Poisson-subsampled Gaussian, add/remove-one neighbours)\n");
        text.append(String.format(Locale.ROOT, "  %-18s %s%n", "sample rate", plain(plan.sampleRate())));
        text.append(String.format(Locale.ROOT, "  %-18s %s%s%n", "noise multiplier", plain(noiseMultiplier), calibrationNote()));
        text.append(String.format(Locale.ROOT, "  %-18s %d%n", "steps", plan.steps()));
        text.append(String.format(Locale.ROOT, "  %-18s %s%n%n", "delta", plain(delta)));
        text.append(String.format(Locale.ROOT, "  %-10s %-12s %s%n", "accountant", "epsilon", "note"));
        for (Map.Entry<AccountantKind, Double> entry : epsilons.entrySet()) {
            String note = entry.getKey() == AccountantKind.RDP
                    ? "best Renyi order " + plain(rdpOrder) : "tight (privacy loss distribution)";
            text.append(String.format(Locale.ROOT, "  %-10s %-12s %s%n", entry.getKey().id(), fixed(entry.getValue()), note));
        }
        text.append('\n').append(sentence()).append('\n');
        return text.toString();
    }

    String markdown() {
        StringBuilder md = new StringBuilder("| parameter | value |\n|---|---|\n");
        md.append("| sample rate q | ").append(plain(plan.sampleRate())).append(" |\n");
        md.append("| noise multiplier σ | ").append(plain(noiseMultiplier)).append(calibrationNote()).append(" |\n");
        md.append("| steps | ").append(plan.steps()).append(" |\n");
        md.append("| δ | ").append(plain(delta)).append(" |\n\n");
        md.append("| accountant | ε | note |\n|---|---|---|\n");
        for (Map.Entry<AccountantKind, Double> entry : epsilons.entrySet()) {
            md.append("| ").append(entry.getKey().id().toUpperCase(Locale.ROOT)).append(" | ").append(fixed(entry.getValue()))
                    .append(" | ").append(entry.getKey() == AccountantKind.RDP ? "order " + plain(rdpOrder) : "tight")
                    .append(" |\n");
        }
        return md.append('\n').append(sentence()).append('\n').toString();
    }

    /** One sentence stating the guarantee, with the tightest accountant that ran. */
    private String sentence() {
        AccountantKind best = epsilons.containsKey(AccountantKind.PLD) ? AccountantKind.PLD : AccountantKind.RDP;
        return String.format(Locale.ROOT,
                "Training for %d steps at sample rate %s with noise multiplier %s is (%s, %s)-differentially private "
                        + "for each example (%s accountant).",
                plan.steps(), plain(plan.sampleRate()), plain(noiseMultiplier), fixed(epsilons.get(best)), plain(delta),
                best.id().toUpperCase(Locale.ROOT));
    }

    private String calibrationNote() {
        if (calibratedWith == null) {
            return "";
        }
        Double reached = epsilons.get(calibratedWith);
        if (calibratedWith == AccountantKind.PLD && noiseMultiplier > NoiseCalibrator.MIN_NOISE_MULTIPLIER
                && reached != null && reached < 0.99 * targetEpsilon) {
            // PLD's epsilon is continuous in sigma, so far below the target means less noise was
            // not computable (NoiseCalibrator): it would meet the target too.
            return " (the least noise the PLD accountant can compute; it meets target epsilon " + plain(targetEpsilon) + ")";
        }
        return " (smallest meeting target epsilon " + plain(targetEpsilon) + ", by " + calibratedWith.id().toUpperCase(Locale.ROOT) + ")";
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }

    private static String plain(double value) {
        return String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e").replaceAll("\\.$", "");
    }

    private static String fixed(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "infinite";
    }
}
