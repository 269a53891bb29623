package org.dplstm.data.sanitize;

/**
 * A detected span of personal data: {@code text[start, end)} of kind {@code type} (a {@link
 * PiiType} name or a custom detector's name). Holds positions only, never the value.
 */
public record PiiSpan(int start, int end, String type) {

    public int length() {
        return end - start;
    }
}
