package org.dplstm.privacy.rdp;

import org.dplstm.privacy.Checks;

/**
 * The truncated negative binomial distribution D_{η,γ} of the number of trials K in private
 * hyperparameter tuning (Papernot and Steinke 2022, "Hyperparameter Tuning with Rényi Differential
 * Privacy", Definition 1; ARCHITECTURE §4.1): for k = 1, 2, ...
 *
 * <pre>
 *   P[K = k] = (1-γ)^k / (γ^{-η} - 1) · prod_{l=0}^{k-1} (l + η) / (l + 1)     (η > 0)
 *   P[K = k] = (1-γ)^k / (k · log(1/γ))                                        (η = 0, logarithmic)
 * </pre>
 *
 * η = 1 is the geometric distribution P[K = k] = γ (1-γ)^{k-1}. The mean is
 * E[K] = η (1-γ) / (γ (1 - γ^η)) for η > 0 and (1/γ - 1) / log(1/γ) for η = 0. γ = 1 is the
 * limit K = 1 (one trial, no tuning). Only η >= 0 is offered (the paper also allows -1 < η < 0).
 * Immutable.
 */
public final class TruncatedNegativeBinomial {

    private final double eta;
    private final double gamma;

    private TruncatedNegativeBinomial(double eta, double gamma) {
        Checks.nonNegative("eta", eta);
        Checks.finite("eta", eta);
        Checks.halfOpenUnitInterval("gamma", gamma);
        this.eta = eta;
        this.gamma = gamma;
    }

    /** D_{η,γ} itself. */
    public static TruncatedNegativeBinomial of(double eta, double gamma) {
        return new TruncatedNegativeBinomial(eta, gamma);
    }

    /**
     * The D_{η,γ} whose mean is {@code mean} (>= 1): γ solved by bisection (the mean falls as γ
     * grows, from infinity at γ -> 0 to 1 at γ = 1). The γ returned is the bracket's lower end,
     * whose mean is at least the one asked for, to within 1e-12 relative.
     */
    public static TruncatedNegativeBinomial withMean(double eta, double mean) {
        Checks.nonNegative("eta", eta);
        Checks.finite("mean", mean);
        if (!(mean >= 1)) {
            throw new IllegalArgumentException("mean must be >= 1, was " + mean);
        }
        if (mean == 1) {
            return new TruncatedNegativeBinomial(eta, 1);
        }
        if (eta == 1) {
            return new TruncatedNegativeBinomial(eta, 1 / mean);
        }
        double low = 0; // mean(low) = infinity > target
        double high = 1; // mean(high) = 1 < target
        for (int i = 0; i < 200 && high - low > 1e-15 * high; i++) {
            double mid = (low + high) / 2;
            if (meanOf(eta, mid) >= mean) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return new TruncatedNegativeBinomial(eta, low);
    }

    public double eta() {
        return eta;
    }

    public double gamma() {
        return gamma;
    }

    /** E[K] in closed form (Papernot and Steinke 2022, Definition 1). */
    public double mean() {
        return meanOf(eta, gamma);
    }

    private static double meanOf(double eta, double gamma) {
        if (gamma == 1) {
            return 1;
        }
        if (eta == 0) {
            return (1 / gamma - 1) / -Math.log(gamma);
        }
        // η (1-γ) / (γ (1 - γ^η)), with 1 - γ^η = -expm1(η log γ) accurate for small η.
        return eta * (1 - gamma) / (gamma * -Math.expm1(eta * Math.log(gamma)));
    }

    /** P[K = k] for k >= 1 (0 for k < 1). */
    public double probability(long k) {
        if (k < 1) {
            return 0;
        }
        if (gamma == 1) {
            return k == 1 ? 1 : 0;
        }
        double logOneMinusGamma = Math.log1p(-gamma);
        if (eta == 0) {
            return Math.exp(k * logOneMinusGamma - Math.log(k) - Math.log(-Math.log(gamma)));
        }
        double logProduct = 0;
        for (long l = 0; l < k; l++) {
            logProduct += Math.log((l + eta) / (l + 1));
        }
        double logNormaliser = Math.log(Math.expm1(-eta * Math.log(gamma))); // log(γ^{-η} - 1)
        return Math.exp(k * logOneMinusGamma - logNormaliser + logProduct);
    }

    @Override
    public String toString() {
        return "TruncatedNegativeBinomial[eta=" + eta + ", gamma=" + gamma + ", mean=" + mean() + "]";
    }
}
