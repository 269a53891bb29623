package org.dplstm.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.PrivacyEvent;
import org.dplstm.privacy.accountants.Accountants;
import org.dplstm.privacy.calibration.NoiseCalibrator;
import org.dplstm.privacy.calibration.TrainingPlan;
import org.dplstm.privacy.noise.SecureGaussianNoise;
import org.dplstm.privacy.sampling.PoissonSampler;

/**
 * {@code dplstm budget --bench}: wall-clock times of the accounting (and of the secure noise
 * and sampling) after JIT warm-up. Each run
 * uses a slightly different sigma so that no per-mechanism cache is hit: the figures are for
 * fresh plans. Reports the median of the timed runs.
 */
final class BudgetBenchmark {

    private BudgetBenchmark() {}

    private interface Job {
        void run(int variant);
    }

    static void run(PrintWriter out) {
        out.println("dplstm accounting benchmark (median wall time after warm-up; fresh sigma each run)");
        noise(out);
        long[] counter = {0};
        time(out, "RDP epsilon, q=0.004267 sigma=1.1, 1e5 steps (target < 5 ms)", 20, 30, v ->
                epsilon(AccountantKind.RDP, 256 / 60000.0, 1.1 * (1 + 1e-9 * (counter[0]++)), 100_000));
        double[][] plans = {{256 / 60000.0, 1.1, 14_062}, {0.01, 1.0, 1000}, {0.001, 0.8, 10_000},
            {0.1, 0.5, 100_000}, {0.01, 0.5, 100_000}, {0.1, 2.0, 100_000}};
        for (double[] plan : plans) {
            String label = String.format(Locale.ROOT, "PLD epsilon, q=%.4g sigma=%.3g, %d steps (target < 1 s)",
                    plan[0], plan[1], (long) plan[2]);
            time(out, label, 2, 5, v -> epsilon(AccountantKind.PLD, plan[0], plan[1] * (1 + 1e-9 * (counter[0]++)), (long) plan[2]));
        }
        double[][] targets = {{256 / 60000.0, 14_062, 3.0}, {0.01, 10_000, 1.0}, {0.001, 100_000, 2.0}};
        for (double[] target : targets) {
            String label = String.format(Locale.ROOT, "PLD calibration, q=%.4g, %d steps, eps=%.1g (target < 2 s)",
                    target[0], (long) target[1], target[2]);
            time(out, label, 1, 3, v -> NoiseCalibrator.noiseMultiplierFor(AccountantKind.PLD, target[2] * (1 + 1e-9 * (counter[0]++)),
                    1e-5, TrainingPlan.ofSteps(target[0], (long) target[1]), List.of()));
        }
    }

    private static void noise(PrintWriter out) {
        SecureGaussianNoise noise = SecureGaussianNoise.create();
        float[] gradient = new float[400_000];
        time(out, "Secure Gaussian noise (AES-CTR + ziggurat), 400k floats", 20, 41, v -> noise.addTo(gradient, 1.0));
        PoissonSampler sampler = PoissonSampler.create();
        time(out, "Secure Poisson sample, N=60000, q=0.004267", 20, 41, v -> sampler.sample(60_000, 256 / 60000.0));
    }

    private static void time(PrintWriter out, String label, int warmups, int runs, Job job) {
        for (int i = 0; i < warmups; i++) {
            job.run(i);
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            job.run(warmups + i);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        out.printf(Locale.ROOT, "  %-78s %9.2f ms (min %.2f, max %.2f)%n", label, millis[runs / 2], millis[0], millis[runs - 1]);
        out.flush();
    }

    private static double epsilon(AccountantKind kind, double q, double sigma, long steps) {
        PrivacyAccountant accountant = Accountants.newAccountant(kind);
        accountant.compose(new PrivacyEvent.PoissonGaussian(q, sigma, steps));
        return accountant.epsilon(1e-5);
    }
}
