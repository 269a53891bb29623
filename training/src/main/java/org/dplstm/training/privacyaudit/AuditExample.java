package org.dplstm.training.privacyaudit;

import org.dplstm.data.io.TextRecord;

/**
 * One example of the one-run audit: a training record taken out of the data, given a label other
 * than its own (a mislabelled example is what a model must memorise to fit, the strongest
 * natural canary), and put back exactly once if its fair coin said {@code included}.
 */
public record AuditExample(TextRecord record, boolean included) {}
