package org.dplstm.privacy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The privacy accountants on offer. PLD is tight and the default; RDP is fast and classic. A fresh
 * one: {@link org.dplstm.privacy.accountants.Accountants#newAccountant}.
 */
public enum AccountantKind {
    /** Rényi DP (Mironov, Talwar, Zhang 2019) with the conversion of Balle et al. 2020. */
    RDP("rdp"),
    /** Privacy loss distributions (Koskela et al. 2020; Doroshenko et al. 2022). */
    PLD("pld");

    private final String id;

    AccountantKind(String id) {
        this.id = id;
    }

    /** The lower-case name used on the command line and in JSON ("rdp", "pld"). */
    @JsonValue
    public String id() {
        return id;
    }

    /** Parses an id, ignoring case. */
    @JsonCreator
    public static AccountantKind parse(String text) {
        if (text != null) {
            String wanted = text.trim().toLowerCase(Locale.ROOT);
            for (AccountantKind kind : values()) {
                if (kind.id.equals(wanted)) {
                    return kind;
                }
            }
        }
        String allowed = Arrays.stream(values()).map(AccountantKind::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("accountant must be one of " + allowed + ", was " + text);
    }
}
