package org.dplstm.training.privacyaudit;

import java.util.List;
import java.util.function.LongConsumer;
import org.dplstm.data.io.TextRecord;

/**
 * How a trained model scores what an audit planted; lower always means "more likely under the
 * model". Each method reports the number of texts it has scored to {@code progress}.
 */
interface AuditScorer {

    /** The score of each candidate text of one canary (the canary's own text among them or not). */
    double[] canaryScores(Canary canary, List<String> candidateTexts, LongConsumer progress);

    /** The loss of each audit example, the membership-inference and one-run signal. */
    double[] auditLosses(List<TextRecord> examples, LongConsumer progress);
}
