package org.dplstm.privacy.accountants;

import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyAccountant;
import org.dplstm.privacy.pld.PldAccountant;
import org.dplstm.privacy.rdp.RdpAccountant;

/**
 * A fresh accountant of each kind on offer. Kept apart from {@link AccountantKind}: the
 * implementations build on the core package's interfaces, so the core must not name them.
 */
public final class Accountants {

    private Accountants() {}

    /** A fresh accountant of {@code kind} with an empty history. */
    public static PrivacyAccountant newAccountant(AccountantKind kind) {
        return switch (kind) {
            case RDP -> new RdpAccountant();
            case PLD -> new PldAccountant();
        };
    }
}
