package org.dplstm.data.io;

/** Why a record could not be read; {@link #id()} is the key in sanitization reports. */
public enum ReadProblem {
    INVALID_UTF8("invalid_utf8"),
    MISSING_FIELD("missing_field"),
    TOO_LONG("too_long"),
    MALFORMED("malformed");

    private final String id;

    ReadProblem(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
