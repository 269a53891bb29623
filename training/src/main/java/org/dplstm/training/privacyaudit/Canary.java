package org.dplstm.training.privacyaudit;

/**
 * One inserted canary: its secret in [0, 10^digits), its text, and the class it is labelled with
 * (the same label scores every candidate secret of this canary; null for a language model).
 */
public record Canary(long secret, String text, String label) {}
