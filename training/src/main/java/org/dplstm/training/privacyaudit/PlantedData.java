package org.dplstm.training.privacyaudit;

import java.util.List;
import org.dplstm.data.io.TextRecord;

/**
 * The training data of an audit run: the original records minus every audit example, plus each
 * canary {@code repeats} times, plus the included audit examples once each.
 */
public record PlantedData(
        List<TextRecord> trainingRecords,
        CanaryTemplate template,
        List<Canary> canaries,
        int repeats,
        List<AuditExample> auditExamples) {

    public PlantedData {
        trainingRecords = List.copyOf(trainingRecords);
        canaries = List.copyOf(canaries);
        auditExamples = List.copyOf(auditExamples);
    }

    public long includedAuditExamples() {
        return auditExamples.stream().filter(AuditExample::included).count();
    }
}
