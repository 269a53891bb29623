package org.dplstm.audit.ledger;

import java.nio.file.Path;
import java.util.List;
import org.dplstm.privacy.AccountantKind;
import org.dplstm.privacy.PrivacyEvent;

/**
 * A process that reserves one run in a ledger: {@code ReserveMain LEDGER RUN_ID BUDGET}, planning
 * one Gaussian of σ = 2 on dataset {@link LedgerConcurrencyTest#DATASET}. Waits for a line on
 * standard input, so that several start together; exit 0 when reserved, 2 when the budget refused
 * it.
 */
public final class ReserveMain {

    public static void main(String[] args) throws Exception {
        Path ledger = Path.of(args[0]);
        double budget = Double.parseDouble(args[2]);
        System.out.println("ready");
        System.out.flush();
        System.in.read();
        try {
            Ledger.open(ledger).reserve(LedgerEntry.reservation(args[1], "/runs/" + args[1], LedgerConcurrencyTest.DATASET,
                    AccountantKind.RDP, 1e-5, 1.0, List.of(new PrivacyEvent.Gaussian(2.0, 1))), budget);
            System.exit(0);
        } catch (IllegalArgumentException refused) {
            System.out.println(refused.getMessage());
            System.exit(2);
        }
    }
}
