package org.dplstm.training.privacyaudit;

import org.dplstm.data.io.TextRecord;

/**
 * One example of the one-run audit, put in the training data exactly once if its fair coin said
 * {@code included}: for a classifier a training record relabelled to another class, for a
 * language model a fresh random line.
 */
public record AuditExample(TextRecord record, boolean included) {}
