package org.dplstm.training.privacyaudit;

import java.util.List;
import org.dplstm.data.io.TextRecord;

/**
 * What an audit plants differently for one kind of model, bound to one training set (its checks
 * run when it is created): the label a canary carries and which records serve as one-run audit
 * examples. {@link AuditExperiment} does the rest the same way for every kind of model.
 */
interface AuditPlanting {

    /** The label of a new canary; null for a model without labels. */
    String canaryLabel(AuditRandomness randomness);

    /**
     * The training record of one insertion of {@code canary}: its text with its label (a pair's
     * planting puts the label, a fixed prompt, on the source side and the secret on the target).
     */
    default TextRecord canaryRecord(Canary canary, long line, String user) {
        return TextRecord.of(AuditExperiment.CANARY_SOURCE, line, canary.text(), canary.label(), user);
    }

    /**
     * Chooses the m audit examples (their user ids are assigned by the experiment) and the
     * training records that stay in the data whatever the coins say.
     */
    AuditCandidates auditCandidates(int m, AuditRandomness randomness);

    /** @param keptRecords training records always trained on; @param examples the m audit examples */
    record AuditCandidates(List<TextRecord> keptRecords, List<TextRecord> examples) {}
}
