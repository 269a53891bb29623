package org.dplstm.audit.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dplstm.audit.run.RunFiles;
import org.dplstm.privacy.PrivacyEvent;

/** Writes the audit log of a small complete run through the public API, as training will. */
public final class SampleRun {

    public static final String FINGERPRINT = "ab".repeat(32);

    private SampleRun() {}

    public static RunStart runStart(String runId, double sampleRate, double sigma, long plannedSteps) {
        ObjectNode config = ChainedLines.mapper().createObjectNode();
        config.put("epochs", 3);
        config.put("hidden_size", 32);
        ObjectNode sanitizationReport = ChainedLines.mapper().createObjectNode();
        sanitizationReport.put("EMAIL", 3);
        sanitizationReport.put("PHONE", 1);
        return RunStart.builder()
                .optRunId(runId)
                .optConfig(config)
                .optCodeVersion("test")
                .optEngineVersion("none")
                .datasetFingerprint(FINGERPRINT)
                .optSanitization(ChainedLines.mapper().createObjectNode().put("pii", true), sanitizationReport)
                .accountant("rdp")
                .delta(1e-5)
                .optNoiseMultiplier(sigma)
                .sampleRate(sampleRate)
                .plannedSteps(plannedSteps)
                .optPlannedEpsilon(2.0)
                .build();
    }

    /**
     * A run_end for {@code runId} that binds a small model.bin it writes into {@code runDir}, as
     * training saves the model before run_end.
     */
    public static RunEnd runEnd(Path runDir, String runId, long steps, Map<String, Double> epsilon,
            List<PrivacyEvent> history) throws IOException {
        Path model = Files.writeString(RunFiles.of(runDir).model(), "weights of " + runId);
        return new RunEnd(runId, steps, epsilon, epsilon.isEmpty() ? Map.of() : Map.of("dp_sgd", epsilon.values().iterator().next()),
                1e-5, history, 1.0, Map.of(RunFiles.MODEL, DatasetFingerprint.sha256Of(model)));
    }

    /**
     * A run of {@code epochs} epochs of {@code stepsPerEpoch} DP-SGD steps, each epoch logging the
     * given ε (index = epoch-1), then a checkpoint, then run_end. Returns the accountant history.
     */
    public static List<PrivacyEvent> write(Path runDir, AuditKey key, String runId, double sampleRate,
            double sigma, int epochs, long stepsPerEpoch, double[] epsilonPerEpoch) throws IOException {
        List<PrivacyEvent> history = new ArrayList<>();
        try (AuditLog log = AuditLog.open(runDir, key)) {
            log.runStart(runStart(runId, sampleRate, sigma, epochs * stepsPerEpoch));
            log.vocabulary("public", 500, List.of());
            for (int epoch = 1; epoch <= epochs; epoch++) {
                history.add(new PrivacyEvent.PoissonGaussian(sampleRate, sigma, stepsPerEpoch));
                log.epoch(epoch, epoch * stepsPerEpoch, Map.of("rdp", epsilonPerEpoch[epoch - 1]), 1.5 / epoch, 0.5 + 0.1 * epoch);
                log.checkpoint("checkpoint-" + epoch, epoch * stepsPerEpoch, history, Map.of("model.params", "cd".repeat(32)));
            }
            log.runEnd(runEnd(runDir, runId, epochs * stepsPerEpoch, Map.of("rdp", epsilonPerEpoch[epochs - 1]), history));
        }
        return history;
    }

    /** A complete 4-epoch run (11 lines) with made-up ε figures (the log does not check them). */
    public static void write(Path runDir, AuditKey key) throws IOException {
        write(runDir, key, "run-1", 0.01, 1.0, 4, 100, new double[] {0.5, 0.8, 1.0, 1.2});
    }
}
