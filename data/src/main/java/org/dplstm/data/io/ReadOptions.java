package org.dplstm.data.io;

import java.util.Objects;

/**
 * Which fields a reader takes the text, label and user from, how long a record may be, and what
 * happens to invalid records. Immutable; build with {@link #builder()}.
 */
public final class ReadOptions {
    /** Default cap on one record (one line, or one file of a text folder): 1 MiB of UTF-8. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

    private final String textField;
    private final String labelField;
    private final String userField;
    private final int maxRecordBytes;
    private final OnError onError;

    private ReadOptions(Builder builder) {
        this.textField = builder.textField;
        this.labelField = builder.labelField;
        this.userField = builder.userField;
        this.maxRecordBytes = builder.maxRecordBytes;
        this.onError = builder.onError;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: text field {@code text}, no label, no user, 1 MiB records, fail on error. */
    public static ReadOptions defaults() {
        return builder().build();
    }

    public String textField() {
        return textField;
    }

    /** The label field, or {@code null} if records carry no label. */
    public String labelField() {
        return labelField;
    }

    /** The user id field, or {@code null} if records carry no user id. */
    public String userField() {
        return userField;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public OnError onError() {
        return onError;
    }

    public static final class Builder {
        private String textField = "text";
        private String labelField;
        private String userField;
        private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
        private OnError onError = OnError.FAIL;

        public Builder optTextField(String textField) {
            this.textField = textField;
            return this;
        }

        public Builder optLabelField(String labelField) {
            this.labelField = labelField;
            return this;
        }

        public Builder optUserField(String userField) {
            this.userField = userField;
            return this;
        }

        public Builder optMaxRecordBytes(int maxRecordBytes) {
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        public Builder optOnError(OnError onError) {
            this.onError = Objects.requireNonNull(onError, "onError");
            return this;
        }

        public ReadOptions build() {
            if (textField == null || textField.isEmpty()) {
                throw new IllegalArgumentException("text field must be a non-empty name, was " + textField);
            }
            if (labelField != null && labelField.isEmpty()) {
                throw new IllegalArgumentException("label field must be a non-empty name or absent, was empty");
            }
            if (userField != null && userField.isEmpty()) {
                throw new IllegalArgumentException("user field must be a non-empty name or absent, was empty");
            }
            if (maxRecordBytes < 1) {
                throw new IllegalArgumentException("max record bytes must be >= 1, was " + maxRecordBytes);
            }
            return new ReadOptions(this);
        }
    }
}
