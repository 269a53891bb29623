package org.dplstm.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.UUID;
import org.dplstm.privacy.Checks;

/**
 * What a run_start event records: enough to say later what was trained on which data under which
 * guarantee. Holds configuration, versions, hashes and privacy parameters only: never raw text.
 * Immutable; build with {@link #builder()}.
 */
public final class RunStart {
    private final String runId;
    private final String privacyUnit;
    private final JsonNode config;
    private final String codeVersion;
    private final String jvmVersion;
    private final String engineVersion;
    private final String datasetFingerprint;
    private final JsonNode sanitizationConfig;
    private final JsonNode sanitizationReport;
    private final String accountant;
    private final double delta;
    private final double noiseMultiplier;
    private final double sampleRate;
    private final long plannedSteps;
    private final double plannedEpsilon;

    private RunStart(Builder b) {
        this.runId = b.runId;
        this.privacyUnit = b.privacyUnit;
        this.config = b.config;
        this.codeVersion = b.codeVersion;
        this.jvmVersion = b.jvmVersion;
        this.engineVersion = b.engineVersion;
        this.datasetFingerprint = b.datasetFingerprint;
        this.sanitizationConfig = b.sanitizationConfig;
        this.sanitizationReport = b.sanitizationReport;
        this.accountant = b.accountant;
        this.delta = b.delta;
        this.noiseMultiplier = b.noiseMultiplier;
        this.sampleRate = b.sampleRate;
        this.plannedSteps = b.plannedSteps;
        this.plannedEpsilon = b.plannedEpsilon;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String runId() {
        return runId;
    }

    public String datasetFingerprint() {
        return datasetFingerprint;
    }

    /** The event's fields in the order they are written. */
    ObjectNode toFields() {
        ObjectNode fields = ChainedLines.JSON.createObjectNode();
        fields.put("run_id", runId);
        fields.put("privacy_unit", privacyUnit);
        fields.put("code_version", codeVersion);
        fields.put("jvm", jvmVersion);
        fields.put("engine", engineVersion);
        fields.put("dataset_fingerprint", datasetFingerprint);
        fields.put("accountant", accountant);
        fields.put("delta", delta);
        if (Double.isNaN(noiseMultiplier)) {
            fields.putNull("noise_multiplier");
        } else {
            fields.put("noise_multiplier", noiseMultiplier);
        }
        fields.put("sample_rate", sampleRate);
        fields.put("planned_steps", plannedSteps);
        if (Double.isNaN(plannedEpsilon)) {
            fields.putNull("planned_epsilon");
        } else {
            fields.put("planned_epsilon", plannedEpsilon);
        }
        fields.set("config", config);
        fields.set("sanitization_config", sanitizationConfig);
        fields.set("sanitization_report", sanitizationReport);
        return fields;
    }

    public static final class Builder {
        private String runId = UUID.randomUUID().toString();
        private String privacyUnit = "example";
        private JsonNode config = ChainedLines.JSON.createObjectNode();
        private String codeVersion = "unknown";
        private String jvmVersion = System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
        private String engineVersion = "unknown";
        private String datasetFingerprint;
        private JsonNode sanitizationConfig = NullNode.getInstance();
        private JsonNode sanitizationReport = NullNode.getInstance();
        private String accountant;
        private double delta = Double.NaN;
        private double noiseMultiplier = Double.NaN;
        private double sampleRate = Double.NaN;
        private long plannedSteps = -1;
        private double plannedEpsilon = Double.NaN;

        private Builder() {}

        /** Defaults to a random UUID; the ledger and the verifier find the run by it. */
        public Builder optRunId(String runId) {
            this.runId = Objects.requireNonNull(runId, "run id");
            return this;
        }

        /** "example" (default) or "user". */
        public Builder optPrivacyUnit(String privacyUnit) {
            if (!"example".equals(privacyUnit) && !"user".equals(privacyUnit)) {
                throw new IllegalArgumentException("privacy unit must be one of example, user, was " + privacyUnit);
            }
            this.privacyUnit = privacyUnit;
            return this;
        }

        /** The full training configuration (options, model shape, plan). */
        public Builder optConfig(JsonNode config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder optCodeVersion(String codeVersion) {
            this.codeVersion = Objects.requireNonNull(codeVersion, "code version");
            return this;
        }

        public Builder optJvmVersion(String jvmVersion) {
            this.jvmVersion = Objects.requireNonNull(jvmVersion, "jvm version");
            return this;
        }

        public Builder optEngineVersion(String engineVersion) {
            this.engineVersion = Objects.requireNonNull(engineVersion, "engine version");
            return this;
        }

        /** {@link DatasetFingerprint#of} of the raw input files. */
        public Builder datasetFingerprint(String fingerprint) {
            this.datasetFingerprint = fingerprint;
            return this;
        }

        /** Sanitization settings and its report (counts and positions per type, never values). */
        public Builder optSanitization(JsonNode sanitizationConfig, JsonNode sanitizationReport) {
            this.sanitizationConfig = Objects.requireNonNull(sanitizationConfig, "sanitization config");
            this.sanitizationReport = Objects.requireNonNull(sanitizationReport, "sanitization report");
            return this;
        }

        /** The accountant id, e.g. "pld" or "rdp". */
        public Builder accountant(String accountant) {
            this.accountant = accountant;
            return this;
        }

        public Builder delta(double delta) {
            this.delta = delta;
            return this;
        }

        /** σ; leave unset (NaN) for a run without privacy. */
        public Builder optNoiseMultiplier(double noiseMultiplier) {
            this.noiseMultiplier = noiseMultiplier;
            return this;
        }

        public Builder sampleRate(double sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        public Builder plannedSteps(long plannedSteps) {
            this.plannedSteps = plannedSteps;
            return this;
        }

        /** The ε the plan spends; leave unset (NaN) for a run without privacy. */
        public Builder optPlannedEpsilon(double plannedEpsilon) {
            this.plannedEpsilon = plannedEpsilon;
            return this;
        }

        public RunStart build() {
            if (datasetFingerprint == null || !datasetFingerprint.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(
                        "dataset fingerprint must be 64 lower-case hex digits, was " + datasetFingerprint);
            }
            if (accountant == null || accountant.isBlank()) {
                throw new IllegalArgumentException("accountant must be set, e.g. pld or rdp, was " + accountant);
            }
            Checks.openUnitInterval("delta", delta);
            Checks.halfOpenUnitInterval("sample rate", sampleRate);
            Checks.atLeast("planned steps", plannedSteps, 1);
            if (!Double.isNaN(noiseMultiplier)) {
                Checks.positive("noise multiplier", noiseMultiplier);
            }
            if (!Double.isNaN(plannedEpsilon)) {
                Checks.positive("planned epsilon", plannedEpsilon);
            }
            return new RunStart(this);
        }
    }
}
