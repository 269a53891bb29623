package org.dplstm.audit.report;

import java.util.Locale;

/** Output formats of {@code dplstm report}. */
public enum ReportFormat {
    MARKDOWN, HTML, JSON;

    public static ReportFormat parse(String text) {
        for (ReportFormat format : values()) {
            if (format.name().toLowerCase(Locale.ROOT).equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new IllegalArgumentException("format must be one of markdown, html, json, was " + text);
    }
}
