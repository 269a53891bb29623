package org.dplstm.data.sanitize;

/** The built-in kinds of personal data, each replaced by its placeholder, e.g. {@code [EMAIL]}. */
public enum PiiType {
    EMAIL,
    PHONE,
    CARD,
    IBAN,
    SSN,
    IP,
    URL,
    PERSON,
    ADDRESS,
    DATE;

    /** The token that replaces a detected span: {@code [} + name + {@code ]}. */
    public String placeholder() {
        return "[" + name() + "]";
    }
}
