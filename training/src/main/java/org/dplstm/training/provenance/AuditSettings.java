package org.dplstm.training.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.dplstm.audit.log.AuditKey;
import org.dplstm.privacy.Checks;

/**
 * How a training run is audited (ARCHITECTURE §6): the audit log's HMAC key, the fingerprint of the raw
 * training data, the ledger the finished run is recorded in, an optional total budget for the
 * dataset across runs, and what to record about the code and the caller's configuration.
 * Immutable; build with {@link #builder()}.
 */
public final class AuditSettings {

    private final AuditKey key;
    private final String datasetFingerprint;
    private final Path ledgerFile;
    private final double datasetBudget;
    private final String codeVersion;
    private final JsonNode runConfig;

    private AuditSettings(Builder b) {
        this.key = b.key;
        this.datasetFingerprint = b.datasetFingerprint;
        this.ledgerFile = b.ledgerFile;
        this.datasetBudget = b.datasetBudget;
        this.codeVersion = b.codeVersion;
        this.runConfig = b.runConfig;
    }

    public static Builder builder() {
        return new Builder();
    }

    public AuditKey key() {
        return key;
    }

    /** {@code DatasetFingerprint.of} the raw training files, before sanitization or sampling. */
    public String datasetFingerprint() {
        return datasetFingerprint;
    }

    /** The ledger a finished private run is appended to; empty: no ledger. */
    public Optional<Path> ledgerFile() {
        return Optional.ofNullable(ledgerFile);
    }

    /** Total ε allowed on this dataset across every run in the ledger; NaN: no limit. */
    public double datasetBudget() {
        return datasetBudget;
    }

    public boolean hasDatasetBudget() {
        return !Double.isNaN(datasetBudget);
    }

    public String codeVersion() {
        return codeVersion;
    }

    /** The caller's own settings (e.g. the command line's), recorded in run_start; null node when none. */
    public JsonNode runConfig() {
        return runConfig;
    }

    public static final class Builder {
        private AuditKey key = AuditKey.none();
        private String datasetFingerprint;
        private Path ledgerFile;
        private double datasetBudget = Double.NaN;
        private String codeVersion = "unknown";
        private JsonNode runConfig = NullNode.getInstance();

        private Builder() {}

        public Builder datasetFingerprint(String fingerprint) {
            this.datasetFingerprint = fingerprint;
            return this;
        }

        /** HMAC key of the audit log (default: none, plain SHA-256 chain). */
        public Builder optKey(AuditKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Record finished runs in this ledger file (default: no ledger). */
        public Builder optLedger(Path ledgerFile) {
            this.ledgerFile = ledgerFile;
            return this;
        }

        /** Refuse a run whose planned ε, composed with the ledger's runs on the dataset, exceeds this. */
        public Builder optDatasetBudget(double epsilon) {
            Checks.positive("dataset budget", epsilon);
            this.datasetBudget = epsilon;
            return this;
        }

        public Builder optCodeVersion(String codeVersion) {
            this.codeVersion = Objects.requireNonNull(codeVersion, "code version");
            return this;
        }

        public Builder optRunConfig(JsonNode runConfig) {
            this.runConfig = Objects.requireNonNull(runConfig, "run config");
            return this;
        }

        public AuditSettings build() {
            if (datasetFingerprint == null || !datasetFingerprint.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(
                        "dataset fingerprint must be 64 lower-case hex digits, was " + datasetFingerprint);
            }
            if (!Double.isNaN(datasetBudget) && ledgerFile == null) {
                throw new IllegalArgumentException("dataset budget needs a ledger (the runs it composes with), was none");
            }
            return new AuditSettings(this);
        }
    }
}
